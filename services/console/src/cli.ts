import 'reflect-metadata';
import { initializeServiceDataSource, serviceDataSourceOptions } from '@cairn/persistence';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ROLES } from './domain/roles';
import { Init1733000000000 } from './migrations/1733000000000-init';
import { ConsoleUser, UserInputError, UsersStore } from './identity/users.store';

/** The console's schema, migrated: for `npm run user` and the demo loader. */
export async function openConsoleDatabase(databaseUrl: string): Promise<{ users: UsersStore; close: () => Promise<void> }> {
  const ds = await initializeServiceDataSource(new DataSource(serviceDataSourceOptions({
    url: databaseUrl, schema: 'console', entities: [], migrations: [Init1733000000000], poolSize: 2, applicationName: 'cairn-console-cli',
  })), 'console');
  return { users: new UsersStore((t, p) => ds.query(t, p)), close: () => ds.destroy() };
}

/** Creates the user or, when the e-mail exists in the workspace, sets its role and password. */
export async function ensureUser(databaseUrl: string, input: { workspaceId: string; email: string; role: string; name?: string; password: string }): Promise<ConsoleUser> {
  const db = await openConsoleDatabase(databaseUrl);
  try {
    return await db.users.create(input, { upsert: true });
  } finally {
    await db.close();
  }
}

const USAGE = `usage: npm run user -- <command> [options]
  add     --workspace <id> --email <e-mail> --role <${ROLES.join('|')}> [--name <name>] [--password <pw>]
          creates the user (or resets role and password of an existing one); without --password,
          CAIRN_USER_PASSWORD is used, else a random password is generated and printed once
  list    --workspace <id>
  unlock  --workspace <id> --email <e-mail>
  remove  --workspace <id> --email <e-mail>
DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/cairn.`;

function args(argv: string[]): { command?: string; opts: Record<string, string> } {
  const [command, ...rest] = argv;
  const opts: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(rest[i]);
    if (!m) throw new UserInputError([`unexpected argument "${rest[i]}"`]);
    opts[m[1]] = m[2] ?? rest[++i] ?? '';
  }
  return { command, opts };
}

export async function main(argv: string[]): Promise<number> {
  const { command, opts } = args(argv);
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cairn';
  const need = (k: string) => { if (!opts[k]) throw new UserInputError([`--${k} is required`]); return opts[k]; };
  if (!command || command === 'help' || opts.help !== undefined) { process.stdout.write(`${USAGE}\n`); return command ? 0 : 64; }
  const db = await openConsoleDatabase(url);
  try {
    if (command === 'add') {
      const generated = !opts.password && !process.env.CAIRN_USER_PASSWORD;
      const password = opts.password || process.env.CAIRN_USER_PASSWORD || randomBytes(12).toString('base64url');
      const u = await db.users.create({ workspaceId: need('workspace'), email: need('email'), role: need('role'), name: opts.name, password }, { upsert: true });
      process.stdout.write(`user ${u.email} (${u.role}) in workspace ${u.workspaceId}\n`);
      if (generated) process.stdout.write(`password (shown once): ${password}\n`);
    } else if (command === 'list') {
      for (const u of await db.users.list(need('workspace'))) {
        process.stdout.write(`${u.email}\t${u.role}${u.disabled ? '\tdisabled' : ''}${u.lockedUntil ? `\tlocked until ${u.lockedUntil}` : ''}${u.sso ? '\tsso' : ''}\n`);
      }
    } else if (command === 'unlock' || command === 'remove') {
      const u = await db.users.findByEmail(need('workspace'), need('email'));
      if (!u) throw new UserInputError([`no user ${opts.email} in workspace ${opts.workspace}`]);
      if (command === 'unlock') await db.users.update(u.workspaceId, u.id, { unlock: true });
      else await db.users.remove(u.workspaceId, u.id);
      process.stdout.write(`${command === 'unlock' ? 'unlocked' : 'removed'} ${u.email}\n`);
    } else {
      throw new UserInputError([`unknown command "${command}"`]);
    }
    return 0;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    if (e instanceof UserInputError) {
      process.stderr.write(`${e.problems.map((p) => `error: ${p}`).join('\n')}\n\n${USAGE}\n`);
      process.exit(64);
    }
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}
