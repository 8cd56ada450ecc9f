import { deterministicUuid, ResponseChannel, SurveyKind, Topics } from '@cairn/contracts';
import { OutboxWriter } from '@cairn/messaging';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryService } from '../directory/directory.service';
import { summarizeResponses, SurveyResultSummary } from '../domain/survey-results';
import { classifyScore, scoreProblem, SURVEY_SCALES } from '../domain/survey-scale';
import { CreateSurveyDto, ResultsQueryDto } from './dto';
import { SurveyStore } from './survey.store';
import { SurveyEntity, SurveyResponseEntity, SurveyResponseHistoryEntity } from './survey.entities';

export interface ResponseInput {
  accountId: string;
  contactId?: string;
  score: number;
  comment?: string;
  /** Who the answer belongs to when it is not the contact alone (e.g. a contact within one wave). */
  respondentKey?: string;
  /** The wave of an answer to an invitation (waves/ marks the invitation answered, in the same transaction). */
  waveId?: string;
  channel?: ResponseChannel;
  /** When the answer was given, for answers imported after the fact; now when absent. */
  respondedAt?: string;
}

export interface RecordedResponse extends SurveyResponseEntity {
  /** True when this answer replaced an earlier answer of the same person. */
  replaced: boolean;
}

export interface SurveyResults extends SurveyResultSummary {
  surveyId: string;
  kind: SurveyKind;
  from: string | null;
  to: string | null;
  accountId: string | null;
  waveId: string | null;
  /** Invitations (of the wave, or of all the survey's waves) in scope, whatever the time window. */
  invited: number;
  answered: number;
  /** answered / invited × 100, one decimal; null without invitations. */
  responseRatePct: number | null;
  groups?: Array<SurveyResultSummary & { key: string | null }>;
}

@Injectable()
export class SurveysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly directory: DirectoryService,
    private readonly store: SurveyStore,
  ) {}

  async create(workspaceId: string, dto: CreateSurveyDto): Promise<SurveyEntity> {
    return this.store.insertSurvey(this.db.manager, {
      workspaceId, id: randomUUID(), name: dto.name, kind: dto.kind,
      question: dto.question ?? SURVEY_SCALES[dto.kind].defaultQuestion, followUpQuestion: dto.followUpQuestion ?? null,
    });
  }

  list(workspaceId: string): Promise<SurveyEntity[]> {
    return this.db.getRepository(SurveyEntity).find({ where: { workspaceId }, order: { createdAt: 'DESC' } });
  }

  async get(workspaceId: string, id: string, m: EntityManager = this.db.manager): Promise<SurveyEntity> {
    const survey = await m.getRepository(SurveyEntity).findOneBy({ workspaceId, id });
    if (!survey) throw new NotFoundException(`survey '${id}' not found`);
    return survey;
  }

  /**
   * Stores an answer, classifies it and publishes survey.response-recorded in the same
   * transaction. A person who answers again replaces their answer; the old one goes to history.
   */
  async recordResponse(workspaceId: string, surveyId: string, input: ResponseInput, outer?: EntityManager): Promise<RecordedResponse> {
    const run = (m: EntityManager) => this.recordIn(m, workspaceId, surveyId, input);
    return outer ? run(outer) : this.db.transaction(run);
  }

  private async recordIn(m: EntityManager, workspaceId: string, surveyId: string, input: ResponseInput): Promise<RecordedResponse> {
    const survey = await this.get(workspaceId, surveyId, m);
    const problem = scoreProblem(survey.kind, input.score);
    if (problem) throw new BadRequestException(problem);
    if (input.contactId) {
      const contact = await this.directory.findContact(workspaceId, input.contactId, m);
      if (contact && contact.accountIds.length > 0 && !contact.accountIds.includes(input.accountId)) {
        throw new BadRequestException(
          `accountId: contact '${input.contactId}' belongs to ${contact.accountIds.map((a) => `'${a}'`).join(', ')}, not '${input.accountId}'`);
      }
    }
    const category = classifyScore(survey.kind, input.score);
    const now = new Date();
    const respondedAt = input.respondedAt ? new Date(input.respondedAt) : now;
    if (respondedAt.getTime() > now.getTime() + 60_000) throw new BadRequestException(`respondedAt: ${input.respondedAt} is in the future`);
    const id = randomUUID();
    const respondentKey = input.respondentKey ?? (input.contactId ? `contact:${input.contactId}` : `anonymous:${id}`);
    const { id: responseId, replaced } = await this.store.record(m, {
      workspaceId, id, surveyId, respondentKey, accountId: input.accountId, contactId: input.contactId ?? null,
      waveId: input.waveId ?? null, channel: input.channel ?? 'api', score: input.score, category, comment: input.comment ?? null, respondedAt,
    });
    const saved = await this.store.get(m, workspaceId, responseId);
    await this.outbox.publish(m, Topics.surveyResponseRecorded, {
      id: deterministicUuid('survey.response-recorded', workspaceId, saved.id, saved.revision),
      workspaceId, accountId: saved.accountId, time: saved.respondedAt,
      data: {
        surveyId, responseId: saved.id, ...(saved.contactId ? { contactId: saved.contactId } : {}), kind: survey.kind,
        score: saved.score, category: saved.category, ...(saved.comment ? { comment: saved.comment } : {}),
        respondedAt: saved.respondedAt.toISOString(), channel: saved.channel, ...(saved.waveId ? { waveId: saved.waveId } : {}),
      },
    });
    return { ...saved, replaced };
  }

  async listResponses(workspaceId: string, surveyId: string, filter: { accountId?: string; contactId?: string }): Promise<SurveyResponseEntity[]> {
    await this.get(workspaceId, surveyId);
    return this.db.getRepository(SurveyResponseEntity).find({
      where: { workspaceId, surveyId, ...(filter.accountId ? { accountId: filter.accountId } : {}), ...(filter.contactId ? { contactId: filter.contactId } : {}) },
      order: { respondedAt: 'DESC' },
    });
  }

  /** A current answer with the answers it replaced, newest first. */
  async getResponse(workspaceId: string, surveyId: string, responseId: string) {
    const response = await this.db.getRepository(SurveyResponseEntity).findOneBy({ workspaceId, surveyId, id: responseId });
    if (!response) throw new NotFoundException(`response '${responseId}' of survey '${surveyId}' not found`);
    const history = await this.db.getRepository(SurveyResponseHistoryEntity).find({
      where: { workspaceId, responseId }, order: { revision: 'DESC' },
    });
    return { ...response, history };
  }

  /** NPS / CSAT % / average CES of the current answers given in [from, to), with the counts. */
  async results(workspaceId: string, surveyId: string, q: ResultsQueryDto): Promise<SurveyResults> {
    const survey = await this.get(workspaceId, surveyId);
    if (q.from && q.to && new Date(q.from) >= new Date(q.to)) throw new BadRequestException('to: must be after from');
    const params: unknown[] = [workspaceId, surveyId];
    const where = ['r.workspace_id = $1', 'r.survey_id = $2'];
    if (q.from) { params.push(new Date(q.from)); where.push(`r.responded_at >= $${params.length}`); }
    if (q.to) { params.push(new Date(q.to)); where.push(`r.responded_at < $${params.length}`); }
    if (q.accountId) { params.push(q.accountId); where.push(`r.account_id = $${params.length}`); }
    if (q.waveId) { params.push(q.waveId); where.push(`r.wave_id = $${params.length}`); }
    const groupColumn = q.groupBy === 'account' ? 'r.account_id' : q.groupBy === 'segment' ? 'a.segment' : q.groupBy === 'plan' ? 'a.plan' : 'NULL';
    const rows: Array<{ group_key: string | null; score: number; n: string }> = await this.db.query(
      `SELECT ${groupColumn} AS group_key, r.score, count(*) AS n
         FROM survey_response r
         LEFT JOIN account a ON a.workspace_id = r.workspace_id AND a.account_id = r.account_id
        WHERE ${where.join(' AND ')}
        GROUP BY 1, 2`, params);
    const overall = new Map<number, number>();
    const groups = new Map<string | null, Map<number, number>>();
    for (const row of rows) {
      const n = Number(row.n);
      overall.set(row.score, (overall.get(row.score) ?? 0) + n);
      const g = groups.get(row.group_key) ?? new Map<number, number>();
      g.set(row.score, n);
      groups.set(row.group_key, g);
    }
    return {
      surveyId, kind: survey.kind, from: q.from ?? null, to: q.to ?? null, accountId: q.accountId ?? null, waveId: q.waveId ?? null,
      ...summarizeResponses(survey.kind, overall),
      ...(await this.responseRate(workspaceId, surveyId, q)),
      ...(q.groupBy ? {
        groups: [...groups].map(([key, dist]) => ({ key, ...summarizeResponses(survey.kind, dist) }))
          .sort((a, b) => b.responses - a.responses || String(a.key).localeCompare(String(b.key))),
      } : {}),
    };
  }

  private async responseRate(workspaceId: string, surveyId: string, q: ResultsQueryDto) {
    const params: unknown[] = [workspaceId, surveyId];
    const where = ['workspace_id = $1', 'survey_id = $2'];
    if (q.accountId) { params.push(q.accountId); where.push(`account_id = $${params.length}`); }
    if (q.waveId) { params.push(q.waveId); where.push(`wave_id = $${params.length}`); }
    const [row] = await this.db.query(
      `SELECT count(*) AS invited, count(*) FILTER (WHERE status = 'answered') AS answered FROM survey_invitation WHERE ${where.join(' AND ')}`, params);
    const invited = Number(row.invited);
    const answered = Number(row.answered);
    return { invited, answered, responseRatePct: invited === 0 ? null : Math.round((answered / invited) * 1000) / 10 };
  }
}
