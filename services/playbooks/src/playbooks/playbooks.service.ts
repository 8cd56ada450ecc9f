import { deterministicUuid } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { txMemo } from '../common/tx-memo';
import { DEFAULT_PLAYBOOKS, DefaultPlaybook, DEFAULTS_VERSION } from '../domain/defaults';
import { Playbook } from '../domain/evaluation';
import { parsePlaybookDefinition, PlaybookDefinition } from '../domain/playbook-definition';
import { PlaybookEntity, toPlaybook } from './playbook.entity';

/** Validates a submitted playbook or answers 400 with every problem, each naming its field. */
export function definitionOrBadRequest(body: unknown): PlaybookDefinition {
  const parsed = parsePlaybookDefinition(body);
  if (!parsed.ok) throw new BadRequestException(parsed.problems);
  return parsed.definition;
}

@Injectable()
export class PlaybooksService {
  private readonly log = createLogger('playbooks');
  /** Workspaces this process has seen committed with the current defaults: no query on every event. */
  private readonly upToDate = new Set<string>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The first time a workspace shows up (an event, or its playbooks being read) it gets the
   * shipped defaults; a workspace from before a default was added gets that one, once.
   * Concurrent first events: the insert waits for the other transaction.
   */
  async ensureWorkspace(m: EntityManager, workspaceId: string): Promise<void> {
    if (this.upToDate.has(workspaceId)) return;
    // Outside the caller's transaction: only a committed row may be remembered.
    const committed: { defaults_version: number }[] = await this.db.query(
      `SELECT defaults_version FROM workspace WHERE workspace_id = $1`, [workspaceId]);
    if (committed.length && committed[0].defaults_version >= DEFAULTS_VERSION) {
      this.upToDate.add(workspaceId);
      return;
    }
    if (committed.length === 0) {
      const inserted = await m.query(
        `INSERT INTO workspace (workspace_id, defaults_version) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING workspace_id`,
        [workspaceId, DEFAULTS_VERSION]);
      if (inserted.length) {
        const created = await this.seedDefaults(m, workspaceId);
        this.log.info({ workspaceId, created }, 'seeded default playbooks for a new workspace');
        return;
      }
    }
    const [row]: { defaults_version: number }[] = await m.query(
      `SELECT defaults_version FROM workspace WHERE workspace_id = $1 FOR UPDATE`, [workspaceId]);
    if (!row || row.defaults_version >= DEFAULTS_VERSION) return;
    const created = await this.seedDefaults(m, workspaceId, (d) => d.since > row.defaults_version);
    await m.query(`UPDATE workspace SET defaults_version = $2 WHERE workspace_id = $1`, [workspaceId, DEFAULTS_VERSION]);
    this.log.info({ workspaceId, created, from: row.defaults_version, to: DEFAULTS_VERSION }, 'added the default playbooks shipped since');
  }

  /** Inserts the defaults (all, or those `which` picks) the workspace does not have; returns how many it created. */
  async seedDefaults(m: EntityManager, workspaceId: string, which: (d: DefaultPlaybook) => boolean = () => true): Promise<number> {
    let created = 0;
    for (const d of DEFAULT_PLAYBOOKS.filter(which)) {
      const def = definitionOrBadRequest(d.definition);
      const rows = await m.query(
        `INSERT INTO playbook (workspace_id, id, default_key, name, description, trigger, conditions, actions, cooldown_hours, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
        [workspaceId, deterministicUuid('default-playbook', workspaceId, d.key), d.key, def.name, def.description, def.trigger,
          JSON.stringify(def.conditions), JSON.stringify(def.actions), def.cooldownHours, def.enabled]);
      created += rows.length;
    }
    return created;
  }

  async restoreDefaults(workspaceId: string): Promise<{ created: number; playbooks: PlaybookEntity[] }> {
    const created = await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO workspace (workspace_id, defaults_version) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET defaults_version = GREATEST(workspace.defaults_version, EXCLUDED.defaults_version)`,
        [workspaceId, DEFAULTS_VERSION]);
      return this.seedDefaults(m, workspaceId);
    });
    return { created, playbooks: await this.list(workspaceId) };
  }

  async list(workspaceId: string): Promise<PlaybookEntity[]> {
    await this.db.transaction((m) => this.ensureWorkspace(m, workspaceId));
    return this.db.getRepository(PlaybookEntity).find({ where: { workspaceId }, order: { createdAt: 'ASC', name: 'ASC' } });
  }

  async get(workspaceId: string, id: string): Promise<PlaybookEntity> {
    const p = await this.db.getRepository(PlaybookEntity).findOneBy({ workspaceId, id });
    if (!p) throw new NotFoundException(`playbook '${id}' not found`);
    return p;
  }

  async create(workspaceId: string, body: unknown): Promise<PlaybookEntity> {
    const def = definitionOrBadRequest(body);
    const id = randomUUID();
    await this.db.transaction(async (m) => {
      await this.ensureWorkspace(m, workspaceId);
      await m.query(
        `INSERT INTO playbook (workspace_id, id, name, description, trigger, conditions, actions, cooldown_hours, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [workspaceId, id, def.name, def.description, def.trigger, JSON.stringify(def.conditions), JSON.stringify(def.actions),
          def.cooldownHours, def.enabled]);
    });
    return this.get(workspaceId, id);
  }

  /** Replaces a playbook; its version goes up, and tasks record the version that made them. */
  async update(workspaceId: string, id: string, body: unknown): Promise<PlaybookEntity> {
    const def = definitionOrBadRequest(body);
    // For an UPDATE, TypeORM's postgres driver answers [rows, affected].
    const [, affected]: [unknown[], number] = await this.db.query(
      `UPDATE playbook SET name = $3, description = $4, trigger = $5, conditions = $6, actions = $7, cooldown_hours = $8,
              enabled = $9, version = version + 1, updated_at = now()
        WHERE workspace_id = $1 AND id = $2 RETURNING id`,
      [workspaceId, id, def.name, def.description, def.trigger, JSON.stringify(def.conditions), JSON.stringify(def.actions),
        def.cooldownHours, def.enabled]);
    if (!affected) throw new NotFoundException(`playbook '${id}' not found`);
    return this.get(workspaceId, id);
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    const result = await this.db.getRepository(PlaybookEntity).delete({ workspaceId, id });
    if (!result.affected) throw new NotFoundException(`playbook '${id}' not found`);
  }

  /** Once per transaction and trigger: a consumer chunk asks for every event. */
  enabledFor(m: EntityManager, workspaceId: string, trigger: string): Promise<Playbook[]> {
    return txMemo(m, `playbooks|${workspaceId}|${trigger}`, async () => {
      const rows = await m.getRepository(PlaybookEntity).find({ where: { workspaceId, trigger, enabled: true }, order: { createdAt: 'ASC', id: 'ASC' } });
      return rows.map(toPlaybook);
    });
  }
}
