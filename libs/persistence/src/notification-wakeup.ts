import { Client } from 'pg';

export interface NotificationWakeupOptions {
  /** The LISTEN/NOTIFY channel (an SQL identifier). */
  channel: string;
  /** For a LISTEN connection of the wake-up's own (`ensureListening`); not needed with `listenOn`. */
  databaseUrl?: string;
  applicationName?: string;
  /** The own connection could not LISTEN; the loop carries on polling and tries again next pass. */
  onListenError?: (error: Error) => void;
}

/**
 * The wake-up of a polling loop over a PostgreSQL table: between passes the loop `wait`s its
 * poll interval, and a NOTIFY on the channel (a writer committed a row) or `wake()` (shutdown,
 * a test's nudge, a finished piece of work) ends the wait at once. Polling stays the fallback
 * for a missed notification or a broken LISTEN connection. A notification that arrives while
 * no wait is in progress (the loop is busy with a pass) is remembered until the next `wait`,
 * which then ends at once: a row committed after the pass read the table is not left for the
 * next poll, so the poll can be a long safety net and an idle service need not wake for it.
 *
 * Used by the outbox relay (libs/messaging, on its leader connection: `listenOn`) and by
 * playbooks' delivery worker (a connection of its own: `ensureListening`). It lives here, not in
 * libs/messaging, because it is a PostgreSQL mechanism with nothing of messaging in it.
 */
export class NotificationWakeup {
  private waker?: () => void;
  /** wake() came while no wait was in progress: the next wait ends at once. */
  private requested = false;
  private own?: Client;

  constructor(private readonly o: NotificationWakeupOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(o.channel)) throw new Error(`invalid notification channel '${o.channel}'`);
  }

  get channel(): string { return this.o.channel; }

  /** Its own LISTEN connection is up (`ensureListening`): notifications will come. */
  get listening(): boolean { return this.own !== undefined; }

  /** LISTENs on a connection the caller owns (and reconnects); its notifications wake the loop. */
  async listenOn(client: Client): Promise<void> {
    client.on('notification', () => this.wake());
    await client.query(`LISTEN ${this.o.channel}`);
  }

  /**
   * LISTENs on a connection of the wake-up's own unless it has one; if that breaks it is dropped
   * (polling carries on) and the next call reconnects.
   */
  async ensureListening(): Promise<void> {
    if (this.own) return;
    if (!this.o.databaseUrl) throw new Error('NotificationWakeup.ensureListening needs a databaseUrl');
    const client = new Client({ connectionString: this.o.databaseUrl, application_name: this.o.applicationName });
    client.on('error', () => { if (this.own === client) this.own = undefined; void client.end().catch(() => undefined); });
    try {
      await client.connect();
      await this.listenOn(client);
      this.own = client;
    } catch (e) {
      await client.end().catch(() => undefined);
      this.o.onListenError?.(e as Error);
    }
  }

  /** Resolves after `ms`, or sooner on a notification or `wake()`. */
  wait(ms: number): Promise<void> {
    if (this.requested) {
      this.requested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() { clearTimeout(t); if (self.waker === done) self.waker = undefined; resolve(); }
      this.waker = done;
    });
  }

  /** Ends the current wait; with none in progress, the next one (see the class comment). */
  wake(): void {
    if (this.waker) this.waker();
    else this.requested = true;
  }

  /** A pass is about to read the table: what it reads covers every wake-up so far. */
  beginPass(): void { this.requested = false; }

  /** Closes the wake-up's own connection (not one given to `listenOn`). */
  async close(): Promise<void> {
    const c = this.own;
    this.own = undefined;
    await c?.end().catch(() => undefined);
  }
}

export interface WakeableLoopOptions {
  wakeup: NotificationWakeup;
  /** One pass over the table; returns how long to wait before the next (0: at once). */
  pass: () => Promise<number>;
  /** A pass threw (database gone…): say so, tidy up; the loop pauses `retryMs` and goes on. */
  onError: (error: unknown) => Promise<void> | void;
  retryMs?: number;
}

/**
 * The loop of the outbox relay and the delivery worker: passes until stopped, waiting on the
 * wake-up between them (a NOTIFY or `wake()` cuts the wait short); a failing pass is reported and
 * retried after `retryMs` (1 s), not cut short by notifications. `stop()` wakes it and resolves
 * once the pass in progress has finished.
 */
export class WakeableLoop {
  private running = false;
  private loop?: Promise<void>;

  constructor(private readonly o: WakeableLoopOptions) {}

  get isRunning(): boolean { return this.running; }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.o.wakeup.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        this.o.wakeup.beginPass();
        const waitMs = await this.o.pass();
        if (waitMs > 0 && this.running) await this.o.wakeup.wait(waitMs);
      } catch (e) {
        await this.o.onError(e);
        if (this.running) await new Promise((r) => setTimeout(r, this.o.retryMs ?? 1000));
      }
    }
  }
}
