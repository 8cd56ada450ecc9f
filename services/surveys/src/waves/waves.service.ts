import { BadRequestException, GoneException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AudienceAccount, AudienceContact, selectAudience } from '../domain/audience';
import { SurveyLinkClaims, SurveyLinkError } from '../domain/survey-link';
import { SURVEY_SCALES } from '../domain/survey-scale';
import { SurveysConfig } from '../config';
import { SurveyEntity, SurveyResponseEntity } from '../surveys/survey.entities';
import { RecordedResponse, SurveysService } from '../surveys/surveys.service';
import { CreateWaveDto } from './dto';
import { InvitationMailer } from './invitation-mailer';
import { WaveStore } from './wave.store';
import { SurveyLinks } from './survey-links';
import { SurveyInvitationEntity, SurveyWaveEntity } from './wave.entities';

const DAY_MS = 86_400_000;

/** Waves: a survey sent to an audience by email (signed personal links) or offered in-app. */
@Injectable()
export class WavesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly surveys: SurveysService,
    private readonly links: SurveyLinks,
    private readonly mailer: InvitationMailer,
    private readonly waveStore: WaveStore,
    private readonly config: SurveysConfig,
  ) {}

  async create(workspaceId: string, surveyId: string, dto: CreateWaveDto, requestBaseUrl: string) {
    const survey = await this.surveys.get(workspaceId, surveyId);
    const a = dto.audience;
    if (!a.accountIds?.length && !a.contactIds?.length && !a.segment && !a.plan) {
      throw new BadRequestException('audience: name at least one of accountIds, contactIds, segment or plan');
    }
    const now = Date.now();
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : new Date(now + this.config.SURVEY_WAVE_DEFAULT_EXPIRY_DAYS * DAY_MS);
    if (expiresAt.getTime() <= now) throw new BadRequestException('expiresAt: must be in the future');
    if (dto.channel === 'email' && !this.config.SMTP_URL) {
      throw new BadRequestException('channel: email waves need SMTP_URL to be configured on the surveys service');
    }
    const { contacts, accounts } = await this.candidates(workspaceId, a);
    const { invitees, skipped } = selectAudience(a, contacts, accounts, dto.channel);
    if (invitees.length === 0) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'audience: selects nobody who can be reached on this channel', skipped });
    }
    if (dto.preview) return { preview: true, invited: invitees.length, invitees, skipped };
    const wave = await this.db.transaction(async (m) => {
      const w = await this.waveStore.insertWave(m, {
        workspaceId, id: randomUUID(), surveyId, name: dto.name ?? `${survey.name} — ${new Date(now).toISOString().slice(0, 10)}`,
        channel: dto.channel, audience: { ...a }, expiresAt, linkBaseUrl: (this.config.SURVEYS_PUBLIC_URL ?? requestBaseUrl).replace(/\/+$/, ''),
      });
      // In-app invitations are "sent" as soon as they exist: the product asks for them.
      const status = dto.channel === 'email' ? 'pending' : 'sent';
      await this.waveStore.insertMany(m, invitees.map((inv) => ({
        workspaceId, waveId: w.id, contactId: inv.contactId, surveyId, accountId: inv.accountId, email: inv.email,
        status, sentAt: status === 'sent' ? new Date(now) : null,
      })));
      return w;
    });
    if (dto.channel === 'email') this.mailer.kick();
    return { ...wave, invited: invitees.length, skipped };
  }

  async list(workspaceId: string, surveyId: string) {
    await this.surveys.get(workspaceId, surveyId);
    const waves = await this.db.getRepository(SurveyWaveEntity).find({ where: { workspaceId, surveyId }, order: { createdAt: 'DESC' } });
    const counts = await this.waveStore.countsByWave(this.db.manager, workspaceId, surveyId);
    return waves.map((w) => {
      const of = (status: string) => counts.find((c) => c.waveId === w.id && c.status === status)?.n ?? 0;
      const invitations = { pending: of('pending'), sent: of('sent'), failed: of('failed'), answered: of('answered') };
      const invited = Object.values(invitations).reduce((x, y) => x + y, 0);
      return { ...w, invited, invitations, responseRatePct: invited ? Math.round((invitations.answered / invited) * 1000) / 10 : null };
    });
  }

  async invitations(workspaceId: string, surveyId: string, waveId: string): Promise<SurveyInvitationEntity[]> {
    const wave = await this.db.getRepository(SurveyWaveEntity).findOneBy({ workspaceId, surveyId, id: waveId });
    if (!wave) throw new NotFoundException(`wave '${waveId}' of survey '${surveyId}' not found`);
    return this.waveStore.listOfWave(this.db.manager, workspaceId, waveId);
  }

  /** In-app: what the customer's product should ask this signed-in user now (unanswered, unexpired). */
  async pendingInApp(workspaceId: string, contactId: string) {
    const rows = await this.waveStore.pendingInApp(this.db.manager, workspaceId, contactId);
    const out = [];
    for (const r of rows) {
      const survey = await this.surveys.get(workspaceId, r.surveyId);
      const expiresAt = r.expiresAt;
      out.push({
        ...describeSurvey(survey), waveId: r.waveId, expiresAt,
        token: this.links.sign({ workspaceId, surveyId: survey.id, waveId: r.waveId, contactId, accountId: r.accountId, expiresAt: expiresAt.getTime() }),
      });
    }
    return out;
  }

  /** What a personal link opens: the question, the scale, and the answer already given, if any. */
  async openLink(token: string) {
    const { claims, survey } = await this.resolve(token);
    const answer = await this.db.getRepository(SurveyResponseEntity).findOne({
      where: { workspaceId: claims.workspaceId, surveyId: claims.surveyId, waveId: claims.waveId, contactId: claims.contactId },
    });
    return {
      ...describeSurvey(survey), expiresAt: new Date(claims.expiresAt),
      answer: answer ? { score: answer.score, comment: answer.comment, respondedAt: answer.respondedAt } : null,
    };
  }

  /** An answer through a personal link or an in-app invitation; answering again replaces the answer. */
  async answer(token: string, score: number, comment?: string): Promise<Pick<RecordedResponse, 'id' | 'surveyId' | 'score' | 'category' | 'revision' | 'replaced' | 'respondedAt'>> {
    const { claims, wave } = await this.resolve(token);
    const r = await this.db.transaction(async (m) => {
      const recorded = await this.surveys.recordResponse(claims.workspaceId, claims.surveyId, {
        accountId: claims.accountId, contactId: claims.contactId, score, comment,
        waveId: claims.waveId, channel: wave.channel, respondentKey: `wave:${claims.waveId}:contact:${claims.contactId}`,
      }, m);
      await this.waveStore.markAnswered(m, claims, recorded.respondedAt);
      return recorded;
    });
    // Respondents see their own answer, nothing of the workspace.
    return { id: r.id, surveyId: r.surveyId, score: r.score, category: r.category, revision: r.revision, replaced: r.replaced, respondedAt: r.respondedAt };
  }

  private async resolve(token: string): Promise<{ claims: SurveyLinkClaims; survey: SurveyEntity; wave: SurveyWaveEntity }> {
    let claims: SurveyLinkClaims;
    try {
      claims = this.links.verify(token);
    } catch (e) {
      if (e instanceof SurveyLinkError) throw e.reason === 'expired' ? new GoneException(e.message) : new UnauthorizedException(e.message);
      throw e;
    }
    const invitation = await this.waveStore.find(this.db.manager, claims);
    const wave = await this.db.getRepository(SurveyWaveEntity).findOneBy({ workspaceId: claims.workspaceId, id: claims.waveId });
    if (!invitation || !wave) throw new NotFoundException('this survey invitation no longer exists');
    const survey = await this.surveys.get(claims.workspaceId, claims.surveyId);
    return { claims, survey, wave };
  }

  private async candidates(workspaceId: string, a: CreateWaveDto['audience']): Promise<{ contacts: AudienceContact[]; accounts: AudienceAccount[] }> {
    const accounts: AudienceAccount[] = a.segment || a.plan
      ? (await this.db.query(
        `SELECT account_id, segment, plan FROM account WHERE workspace_id = $1 AND (segment = $2 OR plan = $3)`,
        [workspaceId, a.segment ?? null, a.plan ?? null])).map((r: any) => ({ accountId: r.account_id, segment: r.segment, plan: r.plan }))
      : [];
    const accountIds = [...new Set([...(a.accountIds ?? []), ...accounts.map((x) => x.accountId)])];
    const contacts: AudienceContact[] = (await this.db.query(
      `SELECT contact_id, email, role, account_ids FROM contact
        WHERE workspace_id = $1 AND (account_ids && $2::text[] OR contact_id = ANY($3::text[]))`,
      [workspaceId, accountIds, a.contactIds ?? []])).map((r: any) => ({ contactId: r.contact_id, email: r.email, role: r.role, accountIds: r.account_ids }));
    return { contacts, accounts };
  }
}

function describeSurvey(s: SurveyEntity) {
  const scale = SURVEY_SCALES[s.kind];
  return {
    surveyId: s.id, name: s.name, kind: s.kind, question: s.question, followUpQuestion: s.followUpQuestion,
    scale: { min: scale.min, max: scale.max },
  };
}
