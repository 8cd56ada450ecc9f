import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './naming.strategy';

export interface ServiceDataSourceOptions {
  url: string;
  /** The service's own Postgres schema; no service reads another's. */
  schema: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

export function serviceDataSourceOptions(o: ServiceDataSourceOptions): DataSourceOptions {
  if (!/^[a-z_][a-z0-9_]*$/.test(o.schema)) throw new Error(`invalid schema name '${o.schema}'`);
  return {
    type: 'postgres',
    url: o.url,
    schema: o.schema,
    entities: o.entities,
    migrations: o.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: ['error'],
    applicationName: o.applicationName ?? `cairn-${o.schema}`,
    extra: {
      max: o.poolSize ?? 10,
      // Unqualified SQL (migrations, hand-written queries) resolves to the service schema.
      options: `-c search_path=${o.schema},public`,
      connectionTimeoutMillis: 5000,
    },
  };
}

/**
 * Connects, creates the schema when missing and runs pending migrations under an advisory
 * lock, so several instances of one service can start at once.
 */
export async function initializeServiceDataSource(dataSource: DataSource, schema: string): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [`cairn-migrate-${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`cairn-migrate-${schema}`]);
    }
  } finally {
    await runner.release();
  }
  return dataSource;
}
