import { createLogger } from '@cairn/observability';
import { ServiceConfig } from '@cairn/runtime';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { LIVE_CHANNEL, LiveChange } from './live-channel';

type Listener = (change: LiveChange) => void;

/**
 * Listens on the live channel (one connection per console instance) and hands each change to
 * the open pages of its workspace. Reconnects when the database connection drops.
 */
@Injectable()
export class LiveService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('live');
  private readonly listeners = new Map<string, Set<Listener>>();
  private client?: Client;
  private stopped = false;

  constructor(private readonly config: ServiceConfig) {}

  async onApplicationBootstrap() { await this.connect(); }

  async onApplicationShutdown() {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  subscribe(workspaceId: string, listener: Listener): () => void {
    let set = this.listeners.get(workspaceId);
    if (!set) this.listeners.set(workspaceId, (set = new Set()));
    set.add(listener);
    return () => { set!.delete(listener); if (!set!.size) this.listeners.delete(workspaceId); };
  }

  get openPages(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'cairn-console-live' });
    client.on('notification', (n) => {
      if (n.channel !== LIVE_CHANNEL || !n.payload) return;
      let change: LiveChange;
      try { change = JSON.parse(n.payload); } catch { return; }
      for (const l of this.listeners.get(change.workspaceId) ?? []) l(change);
    });
    client.on('error', (e) => {
      this.log.warn({ error: e.message }, 'live channel connection lost; reconnecting');
      void client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.connect().catch(() => undefined), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${LIVE_CHANNEL}`);
    this.client = client;
  }
}
