import { generateSecret, hashSecret } from '@cairn/auth';
import { isInfrastructureError } from '@cairn/messaging';
import { Clock } from '@cairn/runtime';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WriteKeyEntity } from './write-key.entity';

export type WriteKeyResolution =
  | { status: 'valid'; workspaceId: string; keyId: string; allowedOrigins: string[] | null }
  | { status: 'unknown' }
  | { status: 'revoked' };

const VALID_TTL_MS = 30_000;
/** Short, so a key created on another instance works within seconds. */
const UNKNOWN_TTL_MS = 3_000;
const MAX_CACHED = 10_000;
/**
 * While the database is unreachable, a key this instance resolved within the last 15 minutes
 * keeps its last answer (stale-if-error), so Segment calls are still accepted (they go to
 * Kafka, not the database). A key never seen here, or last seen longer ago, gets the database's
 * error: a 503 with Retry-After. A revocation made on another instance during the outage is
 * honoured once the database answers again.
 */
const STALE_IF_ERROR_MS = 15 * 60_000;

/**
 * Write keys: a workspace's sources. Resolution sits on the hot path of every Segment call,
 * so lookups are cached in memory (~30 s; revocation on this instance takes effect at once,
 * on the others within the TTL). The cache is keyed by the key's hash, never the clear key.
 */
@Injectable()
export class WriteKeysService {
  private readonly cache = new Map<string, { value: WriteKeyResolution; expiresAt: number }>();

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly clock: Clock) {}

  async create(workspaceId: string, name: string, allowedOrigins: string[] | null = null)
    : Promise<{ id: string; name: string; writeKey: string; allowedOrigins: string[] | null; createdAt: Date }> {
    const writeKey = generateSecret('wk_');
    const keyHash = hashSecret(writeKey);
    const row = this.db.getRepository(WriteKeyEntity).create({
      workspaceId, id: randomUUID(), name, keyHash, keyHint: writeKey.slice(-4), revokedAt: null, allowedOrigins,
    });
    const saved = await this.db.getRepository(WriteKeyEntity).save(row);
    this.remember(keyHash, { status: 'valid', workspaceId, keyId: saved.id, allowedOrigins });
    return { id: saved.id, name: saved.name, writeKey, allowedOrigins, createdAt: saved.createdAt };
  }

  list(workspaceId: string): Promise<WriteKeyEntity[]> {
    return this.db.getRepository(WriteKeyEntity).find({ where: { workspaceId }, order: { createdAt: 'ASC' } });
  }

  async revoke(workspaceId: string, id: string): Promise<WriteKeyEntity> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundException(`write key '${id}' not found`);
    const rows: Array<{ key_hash: string }> = await this.db.query(
      `UPDATE write_key SET revoked_at = COALESCE(revoked_at, now()) WHERE workspace_id = $1 AND id = $2 RETURNING key_hash`,
      [workspaceId, id]).then((r) => r[0]);
    if (rows.length === 0) throw new NotFoundException(`write key '${id}' not found`);
    this.remember(rows[0].key_hash, { status: 'revoked' });
    return this.db.getRepository(WriteKeyEntity).findOneByOrFail({ workspaceId, id });
  }

  async setAllowedOrigins(workspaceId: string, id: string, allowedOrigins: string[] | null): Promise<WriteKeyEntity> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundException(`write key '${id}' not found`);
    const rows: Array<{ key_hash: string }> = await this.db.query(
      `UPDATE write_key SET allowed_origins = $3 WHERE workspace_id = $1 AND id = $2 RETURNING key_hash`,
      [workspaceId, id, allowedOrigins]).then((r) => r[0]);
    if (rows.length === 0) throw new NotFoundException(`write key '${id}' not found`);
    // This instance at once; the others within the cache's TTL.
    this.cache.delete(rows[0].key_hash);
    return this.db.getRepository(WriteKeyEntity).findOneByOrFail({ workspaceId, id });
  }

  async resolve(writeKey: string): Promise<WriteKeyResolution> {
    const keyHash = hashSecret(writeKey);
    const cached = this.cache.get(keyHash);
    const now = this.clock.now().getTime();
    if (cached && cached.expiresAt > now) return cached.value;
    let rows: Array<{ workspace_id: string; id: string; revoked_at: Date | null; allowed_origins: string[] | null }>;
    try {
      rows = await this.db.query(`SELECT workspace_id, id, revoked_at, allowed_origins FROM write_key WHERE key_hash = $1`, [keyHash]);
    } catch (e) {
      if (cached && isInfrastructureError(e) && cached.expiresAt + STALE_IF_ERROR_MS > now) return cached.value;
      throw e;
    }
    const value: WriteKeyResolution = rows.length === 0 ? { status: 'unknown' }
      : rows[0].revoked_at ? { status: 'revoked' }
        : { status: 'valid', workspaceId: rows[0].workspace_id, keyId: rows[0].id, allowedOrigins: rows[0].allowed_origins };
    this.remember(keyHash, value);
    return value;
  }

  private remember(keyHash: string, value: WriteKeyResolution): void {
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(keyHash, { value, expiresAt: this.clock.now().getTime() + (value.status === 'unknown' ? UNKNOWN_TTL_MS : VALID_TTL_MS) });
  }
}
