import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MEASURES } from '../domain/measures';
import { completeMeasures, DEFAULT_BANDS, DEFAULT_SCORECARD, Scorecard, validateScorecard } from '../domain/scorecard';
import { CreateScorecardDto, UpdateScorecardDto } from './dto';
import { ScorecardEntity } from './scorecard.entity';

export interface ScorecardView extends Scorecard {
  description: string | null;
  active: boolean;
  builtIn: boolean;
}

function toDomain(e: ScorecardEntity): Scorecard {
  return {
    id: e.scorecardId, version: e.version, name: e.name,
    segment: { ...(e.segmentPlan ? { plan: e.segmentPlan } : {}), ...(e.segmentLifecycleStage ? { lifecycleStage: e.segmentLifecycleStage } : {}) },
    measures: e.measures, bands: e.bands, createdAt: new Date(e.createdAt).toISOString(),
  };
}

function toView(e: ScorecardEntity): ScorecardView {
  return { ...toDomain(e), description: e.description, active: e.active, builtIn: false };
}

const BUILT_IN_VIEW: ScorecardView = {
  ...DEFAULT_SCORECARD, builtIn: true, active: true,
  description: 'Used for every account no workspace scorecard matches. Create a scorecard without a segment to replace it.',
};

/** Workspace scorecards: versioned, segment-specific, validated. */
@Injectable()
export class ScorecardsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The workspace's active scorecards (without the built-in default, which is the fallback). */
  async activeScorecards(m: EntityManager, workspaceId: string): Promise<Scorecard[]> {
    const rows = await m.getRepository(ScorecardEntity).find({ where: { workspaceId, active: true } });
    return rows.map(toDomain);
  }

  async list(workspaceId: string): Promise<ScorecardView[]> {
    const rows = await this.db.getRepository(ScorecardEntity).find({ where: { workspaceId, active: true }, order: { scorecardId: 'ASC' } });
    return [...rows.map(toView), BUILT_IN_VIEW];
  }

  async get(workspaceId: string, id: string): Promise<ScorecardView & { versions: { version: number; active: boolean; createdAt: string }[] }> {
    if (id === DEFAULT_SCORECARD.id) {
      return { ...BUILT_IN_VIEW, versions: [{ version: 1, active: true, createdAt: new Date(0).toISOString() }] };
    }
    const rows = await this.db.getRepository(ScorecardEntity).find({ where: { workspaceId, scorecardId: id }, order: { version: 'DESC' } });
    if (rows.length === 0) throw new NotFoundException(`scorecard '${id}' not found`);
    const shown = rows.find((r) => r.active) ?? rows[0];
    return {
      ...toView(shown),
      versions: rows.map((r) => ({ version: r.version, active: r.active, createdAt: new Date(r.createdAt).toISOString() })),
    };
  }

  async create(workspaceId: string, dto: CreateScorecardDto): Promise<ScorecardView> {
    const id = dto.id ?? slug(dto.name);
    if (!id) throw new BadRequestException(['id: give an id, or a name with letters or digits to derive one from']);
    if (id === DEFAULT_SCORECARD.id) {
      throw new BadRequestException([`id: '${id}' is the built-in scorecard; create a scorecard without a segment to replace it for every account`]);
    }
    this.validate(dto);
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('cairn-scorecard'), hashtext($1 || '/' || $2))`, [workspaceId, id]);
      const exists = await m.getRepository(ScorecardEntity).existsBy({ workspaceId, scorecardId: id });
      if (exists) throw new ConflictException(`scorecard '${id}' already exists: PUT /scorecards/${id} creates a new version`);
      return toView(await this.insertVersion(m, workspaceId, id, 1, dto));
    });
  }

  async update(workspaceId: string, id: string, dto: UpdateScorecardDto): Promise<ScorecardView> {
    if (id === DEFAULT_SCORECARD.id) {
      throw new BadRequestException([`id: the built-in scorecard cannot be changed; create a scorecard without a segment to replace it`]);
    }
    this.validate(dto);
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('cairn-scorecard'), hashtext($1 || '/' || $2))`, [workspaceId, id]);
      const [{ max }] = await m.query(`SELECT max(version) AS max FROM scorecard WHERE workspace_id = $1 AND scorecard_id = $2`, [workspaceId, id]);
      if (max === null) throw new NotFoundException(`scorecard '${id}' not found`);
      if (!dto.draft) await m.getRepository(ScorecardEntity).update({ workspaceId, scorecardId: id, active: true }, { active: false });
      return toView(await this.insertVersion(m, workspaceId, id, Number(max) + 1, dto));
    });
  }

  async activate(workspaceId: string, id: string, version: number): Promise<ScorecardView> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(ScorecardEntity);
      const target = await repo.findOneBy({ workspaceId, scorecardId: id, version });
      if (!target) throw new NotFoundException(`scorecard '${id}' has no version ${version}`);
      await repo.update({ workspaceId, scorecardId: id, active: true }, { active: false });
      await repo.update({ workspaceId, scorecardId: id, version }, { active: true });
      return toView({ ...target, active: true });
    });
  }

  /**
   * One version of a scorecard, active or draft: the given version, else the active one, else the
   * newest. 'default' is the built-in scorecard. Throws 404 naming what is missing.
   */
  async findVersion(m: EntityManager, workspaceId: string, id: string, version?: number): Promise<Scorecard & { active: boolean }> {
    if (id === DEFAULT_SCORECARD.id) {
      if (version !== undefined && version !== DEFAULT_SCORECARD.version) throw new NotFoundException(`scorecard 'default' has only version 1`);
      return { ...DEFAULT_SCORECARD, active: true };
    }
    const rows = await m.getRepository(ScorecardEntity).find({ where: { workspaceId, scorecardId: id }, order: { version: 'DESC' } });
    if (rows.length === 0) throw new NotFoundException(`scorecard '${id}' not found`);
    const row = version !== undefined ? rows.find((r) => r.version === version) : rows.find((r) => r.active) ?? rows[0];
    if (!row) throw new NotFoundException(`scorecard '${id}' has no version ${version} (versions: ${rows.map((r) => r.version).join(', ')})`);
    return { ...toDomain(row), active: row.active };
  }

  /** Stores a draft version (a new scorecard when `id` is new); never activates it. */
  async saveDraft(workspaceId: string, id: string, dto: UpdateScorecardDto): Promise<ScorecardView> {
    this.validate(dto);
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('cairn-scorecard'), hashtext($1 || '/' || $2))`, [workspaceId, id]);
      const [{ max }] = await m.query(`SELECT max(version) AS max FROM scorecard WHERE workspace_id = $1 AND scorecard_id = $2`, [workspaceId, id]);
      return toView(await this.insertVersion(m, workspaceId, id, Number(max ?? 0) + 1, { ...dto, draft: true }));
    });
  }

  measureCatalog() {
    return Object.values(MEASURES).map((m) => ({
      measure: m.name, label: m.label, unit: m.unit, group: m.group,
      // null: not part of the built-in scorecard
      defaultWeight: DEFAULT_SCORECARD.measures.find((d) => d.measure === m.name)?.weight ?? null,
      defaultThresholds: m.defaultThresholds,
    }));
  }

  private validate(dto: UpdateScorecardDto): void {
    const problems = validateScorecard({ measures: dto.measures, bands: dto.bands });
    if (problems.length) throw new BadRequestException(problems);
  }

  private async insertVersion(m: EntityManager, workspaceId: string, id: string, version: number, dto: UpdateScorecardDto): Promise<ScorecardEntity> {
    const row: ScorecardEntity = {
      workspaceId, scorecardId: id, version, name: dto.name, description: dto.description ?? null,
      segmentPlan: dto.segment?.plan ?? null, segmentLifecycleStage: dto.segment?.lifecycleStage ?? null,
      measures: completeMeasures({ measures: dto.measures }), bands: dto.bands ?? DEFAULT_BANDS,
      active: !dto.draft, createdAt: new Date(),
    };
    await m.getRepository(ScorecardEntity).insert(row);
    return row;
  }
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
}
