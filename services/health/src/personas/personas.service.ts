import { HealthBand, ResponseCategory } from '@cairn/contracts';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountFacts, MemberFacts, personaMetrics, PersonaMetrics } from '../domain/persona-metrics';
import { describeRule, PersonaRule, validatePersonaRule } from '../domain/persona-rule';
import { LifecycleSettings, UserAttributes, validateLifecycleSettings } from '../domain/user-lifecycle';
import { Clock } from '@cairn/runtime';
import { CreatePersonaDto, PersonaSettingsDto, UpdatePersonaDto } from './dto';
import { PersonaMembership } from './persona-membership.service';
import { UserProfileStore } from './user-profile.store';

export interface PersonaView {
  id: string;
  name: string;
  description: string | null;
  rule: PersonaRule;
  /** The rule in words. */
  ruleText: string;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

interface PersonaRow {
  persona_id: string;
  name: string;
  description: string | null;
  rule: PersonaRule;
  created_at: Date;
  updated_at: Date;
  members: number;
}

/** Route words under /personas that cannot be persona ids. */
const RESERVED_IDS = ['settings', 'reevaluate'];

function toView(r: PersonaRow): PersonaView {
  return {
    id: r.persona_id, name: r.name, description: r.description, rule: r.rule, ruleText: describeRule(r.rule),
    memberCount: Number(r.members), createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
}

/** Personas of a workspace: definitions, members, metrics, lifecycle settings. Workspace-scoped. */
@Injectable()
export class PersonasService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly profiles: UserProfileStore,
    private readonly membership: PersonaMembership,
    private readonly clock: Clock,
  ) {}

  async create(workspaceId: string, dto: CreatePersonaDto): Promise<PersonaView> {
    const id = dto.id ?? slug(dto.name);
    if (!id) throw new BadRequestException(['id: give an id, or a name with letters or digits to derive one from']);
    if (RESERVED_IDS.includes(id)) throw new BadRequestException([`id: '${id}' is reserved (${RESERVED_IDS.join(', ')}); choose another`]);
    this.validate(dto.rule);
    return this.db.transaction(async (m) => {
      await this.profiles.lockPersonas(m, [workspaceId], 'exclusive');
      const [exists] = await m.query(`SELECT 1 FROM persona WHERE workspace_id = $1 AND persona_id = $2`, [workspaceId, id]);
      if (exists) throw new ConflictException(`persona '${id}' already exists: PUT /personas/${id} changes it`);
      await m.query(`INSERT INTO persona (workspace_id, persona_id, name, description, rule) VALUES ($1, $2, $3, $4, $5::jsonb)`,
        [workspaceId, id, dto.name, dto.description ?? null, JSON.stringify(dto.rule)]);
      await this.membership.evaluatePersona(m, workspaceId, id, dto.rule, this.clock.now());
      return this.view(m, workspaceId, id);
    });
  }

  async update(workspaceId: string, id: string, dto: UpdatePersonaDto): Promise<PersonaView> {
    this.validate(dto.rule);
    return this.db.transaction(async (m) => {
      await this.profiles.lockPersonas(m, [workspaceId], 'exclusive');
      const updated = await m.query(`
        UPDATE persona SET name = $3, description = $4, rule = $5::jsonb, updated_at = now()
        WHERE workspace_id = $1 AND persona_id = $2 RETURNING persona_id`,
      [workspaceId, id, dto.name, dto.description ?? null, JSON.stringify(dto.rule)]);
      if (updated[0].length === 0) throw this.unknown(id);
      await this.membership.evaluatePersona(m, workspaceId, id, dto.rule, this.clock.now());
      return this.view(m, workspaceId, id);
    });
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      await this.profiles.lockPersonas(m, [workspaceId], 'exclusive');
      const deleted = await m.query(`DELETE FROM persona WHERE workspace_id = $1 AND persona_id = $2 RETURNING persona_id`, [workspaceId, id]);
      if (deleted[0].length === 0) throw this.unknown(id);
      await m.query(`DELETE FROM persona_member WHERE workspace_id = $1 AND persona_id = $2`, [workspaceId, id]);
    });
  }

  async list(workspaceId: string): Promise<PersonaView[]> {
    const rows: PersonaRow[] = await this.db.query(`
      SELECT p.*, (SELECT count(*) FROM persona_member pm WHERE pm.workspace_id = p.workspace_id AND pm.persona_id = p.persona_id) AS members
      FROM persona p WHERE p.workspace_id = $1 ORDER BY p.persona_id`, [workspaceId]);
    return rows.map(toView);
  }

  get(workspaceId: string, id: string): Promise<PersonaView> {
    return this.view(this.db.manager, workspaceId, id);
  }

  async members(workspaceId: string, id: string, limit = 100, offset = 0) {
    await this.view(this.db.manager, workspaceId, id);
    const rows: { user_id: string; account_id: string | null; name: string | null; email: string | null; attributes: UserAttributes; joined_at: Date }[] =
      await this.db.query(`
        SELECT p.user_id, p.account_id, p.name, p.email, p.attributes, pm.joined_at
        FROM persona_member pm JOIN user_profile p ON p.workspace_id = pm.workspace_id AND p.user_id = pm.user_id
        WHERE pm.workspace_id = $1 AND pm.persona_id = $2 ORDER BY pm.user_id LIMIT $3 OFFSET $4`, [workspaceId, id, limit, offset]);
    return rows.map((r) => ({
      userId: r.user_id, accountId: r.account_id, name: r.name, email: r.email, joinedAt: new Date(r.joined_at).toISOString(),
      ...r.attributes,
    }));
  }

  /** See personaMetrics for what each figure means. Days to renewal count from today (the clock). */
  async metrics(workspaceId: string, id: string): Promise<PersonaView & { metrics: PersonaMetrics; asOf: string }> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const persona = await this.view(m, workspaceId, id);
      const settings = await this.profiles.settings(m, workspaceId);
      const rows: { user_id: string; account_id: string | null; attributes: UserAttributes; answers: Record<string, { score: number; category: ResponseCategory }>; key_features_used: string[] }[] =
        await m.query(`
          SELECT p.user_id, p.account_id, p.attributes, p.answers,
            ARRAY(SELECT f.feature FROM user_feature f WHERE f.workspace_id = p.workspace_id AND f.user_id = p.user_id AND f.feature = ANY($3::text[])
                  ORDER BY f.feature) AS key_features_used
          FROM persona_member pm JOIN user_profile p ON p.workspace_id = pm.workspace_id AND p.user_id = pm.user_id
          WHERE pm.workspace_id = $1 AND pm.persona_id = $2`, [workspaceId, id, settings.keyFeatures]);
      const members: MemberFacts[] = rows.map((r) => ({
        userId: r.user_id, accountId: r.account_id,
        lifecycleStage: r.attributes.lifecycleStage, engagementLevel: r.attributes.engagementLevel, satisfaction: r.attributes.satisfaction,
        ...(r.answers.nps ? { nps: r.answers.nps } : {}), ...(r.answers.csat ? { csat: r.answers.csat } : {}), ...(r.answers.ces ? { ces: r.answers.ces } : {}),
        keyFeaturesUsed: r.key_features_used,
      }));
      const accountIds = [...new Set(members.flatMap((x) => (x.accountId ? [x.accountId] : [])))].sort();
      const now = this.clock.now();
      const today = now.toISOString().slice(0, 10);
      const accounts: { account_id: string; score: number | null; band: HealthBand | null; days_to_renewal: number | null }[] = await m.query(`
        SELECT k.id AS account_id, h.score, h.band,
          (SELECT min(c.end_date) - $3::date FROM contract c WHERE c.workspace_id = $1 AND c.account_id = k.id AND c.end_date >= $3::date) AS days_to_renewal
        FROM unnest($2::text[]) AS k(id)
        LEFT JOIN account_health h ON h.workspace_id = $1 AND h.account_id = k.id`, [workspaceId, accountIds, today]);
      const accountFacts: AccountFacts[] = accounts.map((a) => ({ accountId: a.account_id, score: a.score, band: a.band, daysToRenewal: a.days_to_renewal }));
      return { ...persona, asOf: now.toISOString(), metrics: personaMetrics(members, accountFacts, settings.keyFeatures) };
    });
  }

  async settings(workspaceId: string): Promise<LifecycleSettings> {
    return this.profiles.settings(this.db.manager, workspaceId);
  }

  /** New settings re-derive every user's lifecycle stage (as of their last evaluation) and membership. */
  async saveSettings(workspaceId: string, dto: PersonaSettingsDto): Promise<LifecycleSettings & { reevaluated: { users: number; joined: number; left: number } }> {
    const settings: LifecycleSettings = {
      keyFeatures: dto.keyFeatures, onboardingActiveDays: dto.onboardingActiveDays, keyFeaturesToAdopt: dto.keyFeaturesToAdopt ?? null,
    };
    const problems = validateLifecycleSettings(settings);
    if (problems.length) throw new BadRequestException(problems);
    return this.db.transaction(async (m) => {
      await this.profiles.lockPersonas(m, [workspaceId], 'exclusive');
      await this.profiles.saveSettings(m, workspaceId, settings);
      const reevaluated = await this.membership.reevaluateWorkspace(workspaceId, null, m);
      return { ...settings, reevaluated };
    });
  }

  /** What the scheduled job does: every user as of now, so time moves lifecycle and engagement. */
  reevaluate(workspaceId: string) {
    const asOf = this.clock.now();
    return this.membership.reevaluateWorkspace(workspaceId, asOf).then((r) => ({ asOf: asOf.toISOString(), ...r }));
  }

  async user(workspaceId: string, userId: string) {
    const [row] = await this.db.query(`
      SELECT p.user_id, p.account_id, p.name, p.email, p.role, p.traits, p.answers, p.attributes, p.evaluated_as_of,
        p.first_seen_at, p.last_active_at, p.departed_at,
        ARRAY(SELECT pm.persona_id FROM persona_member pm WHERE pm.workspace_id = p.workspace_id AND pm.user_id = p.user_id ORDER BY 1) AS personas
      FROM user_profile p WHERE p.workspace_id = $1 AND p.user_id = $2`, [workspaceId, userId]);
    if (!row) throw new NotFoundException(`user '${userId}' is not known in this workspace (no event about them received yet)`);
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    return {
      userId: row.user_id, accountId: row.account_id, name: row.name, email: row.email, role: row.role, traits: row.traits,
      firstSeenAt: iso(row.first_seen_at), lastActiveAt: iso(row.last_active_at), departedAt: iso(row.departed_at),
      answers: row.answers, attributes: row.attributes, evaluatedAsOf: iso(row.evaluated_as_of), personas: row.personas,
    };
  }

  private validate(rule: unknown): void {
    const problems = validatePersonaRule(rule);
    if (problems.length) throw new BadRequestException(problems);
  }

  private async view(m: EntityManager, workspaceId: string, id: string): Promise<PersonaView> {
    const [row]: PersonaRow[] = await m.query(`
      SELECT p.*, (SELECT count(*) FROM persona_member pm WHERE pm.workspace_id = p.workspace_id AND pm.persona_id = p.persona_id) AS members
      FROM persona p WHERE p.workspace_id = $1 AND p.persona_id = $2`, [workspaceId, id]);
    if (!row) throw this.unknown(id);
    return toView(row);
  }

  private unknown(id: string): NotFoundException {
    return new NotFoundException(`persona '${id}' not found`);
  }
}
