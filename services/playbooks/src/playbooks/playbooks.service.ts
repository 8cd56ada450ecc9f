import { createLogger } from '@cairn/observability';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_PLAYBOOKS } from '../domain/defaults';
import { Playbook } from '../domain/evaluation';
import { deterministicUuid } from '../domain/ids';
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

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The first time a workspace shows up (an event, or its playbooks being read) it gets the
   * shipped defaults. Concurrent first events: the insert waits for the other transaction.
   */
  async ensureWorkspace(m: EntityManager, workspaceId: string): Promise<void> {
    const inserted = await m.query(
      `INSERT INTO workspace (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING workspace_id`, [workspaceId]);
    if (inserted.length === 0) return;
    const created = await this.seedDefaults(m, workspaceId);
    this.log.info({ workspaceId, created }, 'seeded default playbooks for a new workspace');
  }

  /** Inserts the defaults the workspace does not have; returns how many it created. */
  async seedDefaults(m: EntityManager, workspaceId: string): Promise<number> {
    let created = 0;
    for (const d of DEFAULT_PLAYBOOKS) {
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
      await m.query(`INSERT INTO workspace (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING`, [workspaceId]);
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

  async enabledFor(m: EntityManager, workspaceId: string, trigger: string): Promise<Playbook[]> {
    const rows = await m.getRepository(PlaybookEntity).find({ where: { workspaceId, trigger, enabled: true }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toPlaybook);
  }
}
