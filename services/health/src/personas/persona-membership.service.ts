import { createLogger } from '@cairn/observability';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { matchesPersona, PersonaRule } from '../domain/persona-rule';
import { userAttributes } from '../domain/user-lifecycle';
import { UserProfileStore } from './user-profile.store';

export interface MembershipChange {
  joined: number;
  left: number;
}

const PAGE = 500;

/**
 * Keeps persona_member in step with the users' attributes: after each event about a user
 * (evaluateUsers), for every user when a persona is created or changed (evaluatePersona), and
 * for every user when time or settings move (reevaluateWorkspace).
 */
@Injectable()
export class PersonaMembership {
  private readonly log = createLogger('persona-membership');

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly profiles: UserProfileStore) {}

  /**
   * Recomputes the users' attributes as of max(their last evaluation, `asOf` given per user) and
   * their membership of every persona of the workspace. The caller holds the workspace's persona
   * lock (shared is enough).
   */
  async evaluateUsers(m: EntityManager, workspaceId: string, users: { userId: string; asOf: Date | null }[]): Promise<MembershipChange> {
    if (users.length === 0) return { joined: 0, left: 0 };
    const settings = await this.profiles.settings(m, workspaceId);
    const personas: { persona_id: string; rule: PersonaRule }[] = await m.query(
      `SELECT persona_id, rule FROM persona WHERE workspace_id = $1 ORDER BY persona_id`, [workspaceId]);
    const facts = await this.profiles.facts(m, workspaceId, users, settings.keyFeatures);
    const evaluated = facts.map((f) => ({ userId: f.userId, asOf: f.asOf, attributes: userAttributes(f.facts, settings, f.asOf) }));
    await this.profiles.saveAttributes(m, workspaceId, evaluated);
    if (personas.length === 0) return { joined: 0, left: 0 };

    const desired = new Set<string>();
    for (const u of evaluated) {
      for (const p of personas) if (matchesPersona(p.rule, u.attributes)) desired.add(`${p.persona_id}\u0000${u.userId}`);
    }
    const current: { persona_id: string; user_id: string }[] = await m.query(`
      SELECT pm.persona_id, pm.user_id FROM unnest($2::text[]) AS k(id)
      JOIN persona_member pm ON pm.workspace_id = $1 AND pm.user_id = k.id`, [workspaceId, evaluated.map((u) => u.userId)]);
    const have = new Set(current.map((r) => `${r.persona_id}\u0000${r.user_id}`));
    const asOf = new Map(evaluated.map((u) => [u.userId, u.asOf]));
    const joins = [...desired].filter((k) => !have.has(k)).map((k) => k.split('\u0000'));
    const leaves = [...have].filter((k) => !desired.has(k)).map((k) => k.split('\u0000'));
    await this.applyChanges(m, workspaceId, joins.map(([personaId, userId]) => ({ personaId, userId, at: asOf.get(userId)! })), leaves.map(([personaId, userId]) => ({ personaId, userId })));
    return { joined: joins.length, left: leaves.length };
  }

  /**
   * Membership of one persona over every user of the workspace, from the attributes stored at
   * their last evaluation. The caller holds the workspace's persona lock exclusively.
   */
  async evaluatePersona(m: EntityManager, workspaceId: string, personaId: string, rule: PersonaRule, at: Date): Promise<MembershipChange> {
    const members = new Set<string>((await m.query(
      `SELECT user_id FROM persona_member WHERE workspace_id = $1 AND persona_id = $2`, [workspaceId, personaId],
    )).map((r: { user_id: string }) => r.user_id));
    const change: MembershipChange = { joined: 0, left: 0 };
    let after: string | null = null;
    for (;;) {
      const page = await this.profiles.userPage(m, workspaceId, after, PAGE);
      if (page.length === 0) break;
      const joins: { personaId: string; userId: string; at: Date }[] = [];
      const leaves: { personaId: string; userId: string }[] = [];
      for (const u of page) {
        const match = u.attributes !== null && matchesPersona(rule, u.attributes);
        if (match && !members.has(u.userId)) joins.push({ personaId, userId: u.userId, at });
        if (!match && members.has(u.userId)) leaves.push({ personaId, userId: u.userId });
      }
      await this.applyChanges(m, workspaceId, joins, leaves);
      change.joined += joins.length;
      change.left += leaves.length;
      after = page[page.length - 1].userId;
    }
    return change;
  }

  /**
   * Every user of a workspace, in pages of their own transactions: as of `asOf` (the scheduled
   * re-evaluation: time moves lifecycle and engagement) or, with null, as of each user's last
   * evaluation (settings changed).
   */
  async reevaluateWorkspace(workspaceId: string, asOf: Date | null, m?: EntityManager): Promise<MembershipChange & { users: number }> {
    const total = { users: 0, joined: 0, left: 0 };
    let after: string | null = null;
    for (;;) {
      const page = await this.profiles.userPage(m ?? this.db.manager, workspaceId, after, PAGE);
      if (page.length === 0) break;
      const users = page.map((u) => ({ userId: u.userId, asOf }));
      const run = async (tx: EntityManager) => {
        if (!m) await this.profiles.lockPersonas(tx, [workspaceId], 'shared');
        return this.evaluateUsers(tx, workspaceId, users);
      };
      const change = m ? await run(m) : await this.db.transaction(run);
      total.users += page.length;
      total.joined += change.joined;
      total.left += change.left;
      after = page[page.length - 1].userId;
    }
    this.log.info({ workspaceId, asOf: asOf?.toISOString() ?? 'last evaluation', ...total }, 'users re-evaluated');
    return total;
  }

  private async applyChanges(
    m: EntityManager, workspaceId: string, joins: { personaId: string; userId: string; at: Date }[], leaves: { personaId: string; userId: string }[],
  ): Promise<void> {
    if (joins.length) {
      await m.query(`
        INSERT INTO persona_member (workspace_id, persona_id, user_id, joined_at)
        SELECT $1, x.persona_id, x.user_id, x.at FROM jsonb_to_recordset($2::jsonb) AS x(persona_id text, user_id text, at timestamptz)
        ON CONFLICT DO NOTHING`,
      [workspaceId, JSON.stringify(joins.map((j) => ({ persona_id: j.personaId, user_id: j.userId, at: j.at.toISOString() })))]);
    }
    if (leaves.length) {
      await m.query(`
        DELETE FROM persona_member pm USING jsonb_to_recordset($2::jsonb) AS x(persona_id text, user_id text)
        WHERE pm.workspace_id = $1 AND pm.persona_id = x.persona_id AND pm.user_id = x.user_id`,
      [workspaceId, JSON.stringify(leaves.map((l) => ({ persona_id: l.personaId, user_id: l.userId })))]);
    }
  }
}
