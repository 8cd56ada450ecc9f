import { ResponseCategory, ResponseChannel } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SurveyEntity, SurveyResponseEntity } from './survey.entities';

/** A classified answer about to be stored. */
export interface ResponseRow {
  workspaceId: string;
  id: string;
  surveyId: string;
  respondentKey: string;
  accountId: string;
  contactId: string | null;
  waveId: string | null;
  channel: ResponseChannel;
  score: number;
  category: ResponseCategory;
  comment: string | null;
  respondedAt: Date;
}

export type NewSurvey = Pick<SurveyEntity, 'workspaceId' | 'id' | 'name' | 'kind' | 'question' | 'followUpQuestion'>;

/**
 * The surveys feature's tables: survey, survey_response (one current answer per respondent and
 * survey) and survey_response_history (the answers it replaced). Every write to them goes
 * through here, in the caller's transaction.
 */
@Injectable()
export class SurveyStore {
  /** Stores a new survey and returns it as read back. */
  async insertSurvey(m: EntityManager, survey: NewSurvey): Promise<SurveyEntity> {
    const repo = m.getRepository(SurveyEntity);
    await repo.insert(repo.create(survey));
    return repo.findOneByOrFail({ workspaceId: survey.workspaceId, id: survey.id });
  }

  /**
   * Stores the answer as the respondent's current one. A respondent who answered before keeps
   * one row: the previous answer is copied to the history, the row takes the new answer and its
   * revision goes up by one. Returns the id of the current answer and whether it replaced one.
   */
  async record(m: EntityManager, r: ResponseRow): Promise<{ id: string; replaced: boolean }> {
    const inserted: Array<{ id: string }> = await m.query(
      `INSERT INTO survey_response
         (workspace_id, id, survey_id, respondent_key, account_id, contact_id, wave_id, channel, score, category, comment, responded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (workspace_id, survey_id, respondent_key) DO NOTHING RETURNING id`,
      [r.workspaceId, r.id, r.surveyId, r.respondentKey, r.accountId, r.contactId, r.waveId, r.channel,
        r.score, r.category, r.comment, r.respondedAt],
    );
    if (inserted[0]) return { id: inserted[0].id, replaced: false };
    const [previous] = await m.query(
      `SELECT id FROM survey_response WHERE workspace_id = $1 AND survey_id = $2 AND respondent_key = $3 FOR UPDATE`,
      [r.workspaceId, r.surveyId, r.respondentKey]);
    const id = previous.id as string;
    await m.query(
      `INSERT INTO survey_response_history
         (workspace_id, response_id, survey_id, account_id, contact_id, score, category, comment, revision, responded_at)
       SELECT workspace_id, id, survey_id, account_id, contact_id, score, category, comment, revision, responded_at
         FROM survey_response WHERE workspace_id = $1 AND id = $2`,
      [r.workspaceId, id]);
    await m.query(
      `UPDATE survey_response SET account_id = $3, contact_id = $4, score = $5, category = $6, comment = $7,
         responded_at = $8, revision = revision + 1
       WHERE workspace_id = $1 AND id = $2`,
      [r.workspaceId, id, r.accountId, r.contactId, r.score, r.category, r.comment, r.respondedAt]);
    return { id, replaced: true };
  }

  get(m: EntityManager, workspaceId: string, id: string): Promise<SurveyResponseEntity> {
    return m.getRepository(SurveyResponseEntity).findOneByOrFail({ workspaceId, id });
  }
}
