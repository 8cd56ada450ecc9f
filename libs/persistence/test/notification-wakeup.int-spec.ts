import { NotificationWakeup } from '@cairn/persistence';
import { createTestDatabase } from '@cairn/testing';
import { Client } from 'pg';

/** The wake-up of the outbox relay and the delivery worker, against a real PostgreSQL. */
describe('persistence: NotificationWakeup', () => {
  let db: { url: string; drop: () => Promise<void> };
  let notifier: Client;
  const LONG = 120_000;

  beforeAll(async () => {
    db = await createTestDatabase('wakeup');
    notifier = new Client({ connectionString: db.url });
    await notifier.connect();
  });
  afterAll(async () => {
    await notifier?.end();
    await db?.drop();
  });

  /** Resolves with 'woken' if `wait` ends first, 'still waiting' if `check` ends first. */
  const race = (wait: Promise<void>, check: Promise<void>) =>
    Promise.race([wait.then(() => 'woken'), check.then(() => 'still waiting')]);
  // unref: a race the wait won leaves this timer behind; it must not hold the worker open.
  const settle = (ms: number) => new Promise<void>((r) => { setTimeout(r, ms).unref(); });

  it('ends a wait when the channel is notified on its own LISTEN connection, and not before', async () => {
    const wakeup = new NotificationWakeup({ channel: 'cairn_test_wakeup_own', databaseUrl: db.url, applicationName: 'cairn-test-wakeup' });
    try {
      await wakeup.ensureListening();
      const wait = wakeup.wait(LONG);
      expect(await race(wait, settle(300))).toBe('still waiting');
      await notifier.query(`SELECT pg_notify('cairn_test_wakeup_own', '')`);
      expect(await race(wait, settle(LONG / 2))).toBe('woken');
    } finally {
      await wakeup.close();
    }
  });

  it('listens on a connection the caller owns, ignores other channels, and wake() ends a wait too', async () => {
    const owner = new Client({ connectionString: db.url });
    await owner.connect();
    const wakeup = new NotificationWakeup({ channel: 'cairn_test_wakeup_given' });
    try {
      await wakeup.listenOn(owner);
      const first = wakeup.wait(LONG);
      await notifier.query(`SELECT pg_notify('cairn_test_wakeup_given', '')`);
      expect(await race(first, settle(LONG / 2))).toBe('woken');
      const second = wakeup.wait(LONG);
      await notifier.query(`SELECT pg_notify('cairn_test_other_channel', '')`);
      expect(await race(second, settle(500))).toBe('still waiting');
      wakeup.wake();
      expect(await race(second, settle(LONG / 2))).toBe('woken');
    } finally {
      await owner.end();
    }
  });

  it('keeps polling when it cannot LISTEN, says so, and the wait still ends at its interval', async () => {
    const errors: string[] = [];
    const wakeup = new NotificationWakeup({
      channel: 'cairn_test_wakeup_down', databaseUrl: 'postgres://postgres@127.0.0.1:1/nowhere', onListenError: (e) => errors.push(e.message),
    });
    await wakeup.ensureListening();
    expect(errors).toHaveLength(1);
    expect(await race(wakeup.wait(50), settle(LONG / 2))).toBe('woken');
  });

  it('refuses a channel that is not an SQL identifier', () => {
    expect(() => new NotificationWakeup({ channel: 'x; DROP TABLE outbox' })).toThrow("invalid notification channel 'x; DROP TABLE outbox'");
  });
});
