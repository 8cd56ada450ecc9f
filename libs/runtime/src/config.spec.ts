import { IsInt, IsOptional, Matches } from 'class-validator';
import { ConfigError, loadConfig, Secret, ServiceConfig } from './config';
import { defineService, loadServiceConfig } from './service';

const base = { CAIRN_SERVICE: 'health', CAIRN_AUTH_SECRET: 'x'.repeat(40) };

describe('service configuration', () => {
  it('applies defaults and converts numbers', () => {
    const c = loadConfig(ServiceConfig, { ...base, KAFKA_TOPIC_PARTITIONS: '12' });
    expect(c.KAFKA_TOPIC_PARTITIONS).toBe(12);
    expect(c.port).toBe(3003);
    expect(c.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.consumerGroup).toBe('cairn-health');
  });

  it('names each bad variable and its value, but never a secret', () => {
    let message = '';
    try {
      loadConfig(ServiceConfig, { ...base, PORT: 'eighty', KAFKA_BROKERS: 'localhost', CAIRN_AUTH_SECRET: 'short-secret' });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/PORT \(got "eighty"\)/);
    expect(message).toMatch(/KAFKA_BROKERS \(got "localhost"\): KAFKA_BROKERS must be host:port/);
    expect(message).toMatch(/CAIRN_AUTH_SECRET: CAIRN_AUTH_SECRET must be at least 32 characters/);
    expect(message).not.toContain('short-secret');
  });

  it('masks a password inside a URL it complains about', () => {
    expect(() => loadConfig(ServiceConfig, { ...base, DATABASE_URL: 'mysql://app:hunter2@db/x' }))
      .toThrow(/DATABASE_URL \(got "mysql:\/\/app:\*\*\*@db\/x"\)/);
  });

  it('refuses to start without the shared auth secret', () => {
    expect(() => loadConfig(ServiceConfig, { CAIRN_SERVICE: 'health' })).toThrow(/CAIRN_AUTH_SECRET must be set/);
  });

  it('masks the database password when describing itself', () => {
    const c = loadConfig(ServiceConfig, { ...base, DATABASE_URL: 'postgres://cairn:hunter2@db:5432/cairn' });
    expect(JSON.stringify(c.describe())).not.toContain('hunter2');
  });
});

describe('a service configuration class', () => {
  class ShopConfig extends ServiceConfig {
    @Secret() @IsOptional() @Matches(/^smtps?:\/\//, { message: 'must be smtp://…' }) SMTP_URL?: string;
    @IsInt() SHOP_LIMIT: number = 5;
  }
  const definition = defineService({ name: 'surveys', config: ShopConfig, module: () => class {}, title: 't', description: 'd' });

  it('is the platform configuration plus its own settings, for the service the definition names', () => {
    const c = loadServiceConfig(definition, { CAIRN_AUTH_SECRET: 'x'.repeat(40), SHOP_LIMIT: '7', CAIRN_SERVICE: 'health' });
    expect(c).toBeInstanceOf(ShopConfig);
    expect(c.CAIRN_SERVICE).toBe('surveys');
    expect(c.port).toBe(3002);
    expect(c.SHOP_LIMIT).toBe(7);
  });

  it('never echoes a value marked secret', () => {
    expect(() => loadServiceConfig(definition, { CAIRN_AUTH_SECRET: 'x'.repeat(40), SMTP_URL: 'http://u:hunter2@relay' }))
      .toThrow(/SMTP_URL: must be smtp:/);
    try { loadServiceConfig(definition, { CAIRN_AUTH_SECRET: 'x'.repeat(40), SMTP_URL: 'http://u:hunter2@relay' }); } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
