import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InvitationStatus, SurveyInvitationEntity, SurveyWaveEntity } from './wave.entities';

/** Rows are inserted this many at a time (bound parameters stay well under Postgres' limit). */
const INSERT_CHUNK = 500;

export interface NewInvitation {
  workspaceId: string;
  waveId: string;
  contactId: string;
  surveyId: string;
  accountId: string;
  email: string | null;
  status: Extract<InvitationStatus, 'pending' | 'sent'>;
  sentAt: Date | null;
}

export interface InvitationKey {
  workspaceId: string;
  waveId: string;
  contactId: string;
}

/** A pending email invitation with what its email needs, claimed for sending. */
export interface PendingInvitation extends InvitationKey {
  surveyId: string;
  accountId: string;
  email: string;
  attempts: number;
  expiresAt: Date;
  linkBaseUrl: string;
  surveyName: string;
  question: string;
  followUpQuestion: string | null;
  contactName: string | null;
}

export interface InAppInvitation {
  waveId: string;
  surveyId: string;
  accountId: string;
  expiresAt: Date;
}

export type NewWave = Pick<SurveyWaveEntity, 'workspaceId' | 'id' | 'surveyId' | 'name' | 'channel' | 'audience' | 'expiresAt' | 'linkBaseUrl'>;

/**
 * The waves feature's tables, survey_wave and survey_invitation: every write to them goes
 * through here (an answer marks its invitation through `markAnswered`, in the answer's
 * transaction).
 */
@Injectable()
export class WaveStore {
  /** Stores a new wave and returns it as read back. */
  async insertWave(m: EntityManager, wave: NewWave): Promise<SurveyWaveEntity> {
    const repo = m.getRepository(SurveyWaveEntity);
    await repo.insert(repo.create(wave));
    return repo.findOneByOrFail({ workspaceId: wave.workspaceId, id: wave.id });
  }

  async insertMany(m: EntityManager, invitations: readonly NewInvitation[]): Promise<void> {
    for (let i = 0; i < invitations.length; i += INSERT_CHUNK) {
      await m.getRepository(SurveyInvitationEntity).insert(invitations.slice(i, i + INSERT_CHUNK).map((inv) => ({ ...inv, attempts: 0 })));
    }
  }

  async markAnswered(m: EntityManager, key: InvitationKey, answeredAt: Date): Promise<void> {
    await m.query(
      `UPDATE survey_invitation SET status = 'answered', answered_at = $4
        WHERE workspace_id = $1 AND wave_id = $2 AND contact_id = $3`,
      [key.workspaceId, key.waveId, key.contactId, answeredAt]);
  }

  /**
   * Up to `limit` pending email invitations, oldest first, locked for this transaction; rows
   * another instance holds are skipped, so no two instances send the same invitation at once.
   */
  async claimPending(m: EntityManager, limit: number): Promise<PendingInvitation[]> {
    const rows: Array<Record<string, unknown>> = await m.query(
      `SELECT i.workspace_id, i.wave_id, i.contact_id, i.survey_id, i.account_id, i.email, i.attempts,
              w.expires_at, w.link_base_url, s.name AS survey_name, s.question, s.follow_up_question, c.name AS contact_name
         FROM survey_invitation i
         JOIN survey_wave w ON w.workspace_id = i.workspace_id AND w.id = i.wave_id
         JOIN survey s ON s.workspace_id = i.workspace_id AND s.id = i.survey_id
         LEFT JOIN contact c ON c.workspace_id = i.workspace_id AND c.contact_id = i.contact_id
        WHERE i.status = 'pending' AND w.channel = 'email'
        ORDER BY i.created_at
        LIMIT $1
        FOR UPDATE OF i SKIP LOCKED`, [limit]);
    return rows.map((r) => ({
      workspaceId: r.workspace_id as string, waveId: r.wave_id as string, contactId: r.contact_id as string,
      surveyId: r.survey_id as string, accountId: r.account_id as string, email: r.email as string, attempts: r.attempts as number,
      expiresAt: new Date(r.expires_at as Date), linkBaseUrl: r.link_base_url as string, surveyName: r.survey_name as string,
      question: r.question as string, followUpQuestion: r.follow_up_question as string | null, contactName: r.contact_name as string | null,
    }));
  }

  async markExpired(m: EntityManager, key: InvitationKey): Promise<void> {
    await m.query(`UPDATE survey_invitation SET status = 'failed', last_error = 'the wave expired before the email could be sent'
                    WHERE workspace_id = $1 AND wave_id = $2 AND contact_id = $3`, [key.workspaceId, key.waveId, key.contactId]);
  }

  async markSent(m: EntityManager, key: InvitationKey): Promise<void> {
    await m.query(`UPDATE survey_invitation SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
                    WHERE workspace_id = $1 AND wave_id = $2 AND contact_id = $3`, [key.workspaceId, key.waveId, key.contactId]);
  }

  /** A failed attempt: pending again for the next run, failed for good after `maxAttempts`. */
  async markAttemptFailed(m: EntityManager, key: InvitationKey, error: string, maxAttempts: number): Promise<void> {
    await m.query(
      `UPDATE survey_invitation SET attempts = attempts + 1, last_error = $4,
              status = CASE WHEN attempts + 1 >= $5 THEN 'failed' ELSE 'pending' END
        WHERE workspace_id = $1 AND wave_id = $2 AND contact_id = $3`,
      [key.workspaceId, key.waveId, key.contactId, error, maxAttempts]);
  }

  /** Invitation counts per wave and status, for the survey's wave list. */
  async countsByWave(m: EntityManager, workspaceId: string, surveyId: string): Promise<Array<{ waveId: string; status: InvitationStatus; n: number }>> {
    const rows: Array<{ wave_id: string; status: InvitationStatus; n: string }> = await m.query(
      `SELECT wave_id, status, count(*) AS n FROM survey_invitation WHERE workspace_id = $1 AND survey_id = $2 GROUP BY 1, 2`,
      [workspaceId, surveyId]);
    return rows.map((r) => ({ waveId: r.wave_id, status: r.status, n: Number(r.n) }));
  }

  listOfWave(m: EntityManager, workspaceId: string, waveId: string): Promise<SurveyInvitationEntity[]> {
    return m.getRepository(SurveyInvitationEntity).find({ where: { workspaceId, waveId }, order: { contactId: 'ASC' } });
  }

  find(m: EntityManager, key: InvitationKey): Promise<SurveyInvitationEntity | null> {
    return m.getRepository(SurveyInvitationEntity).findOneBy({ workspaceId: key.workspaceId, waveId: key.waveId, contactId: key.contactId });
  }

  /** A contact's unanswered, unexpired in-app invitations, oldest wave first. */
  async pendingInApp(m: EntityManager, workspaceId: string, contactId: string): Promise<InAppInvitation[]> {
    const rows: Array<{ wave_id: string; survey_id: string; account_id: string; expires_at: Date }> = await m.query(
      `SELECT i.wave_id, i.survey_id, i.account_id, w.expires_at
         FROM survey_invitation i JOIN survey_wave w ON w.workspace_id = i.workspace_id AND w.id = i.wave_id
        WHERE i.workspace_id = $1 AND i.contact_id = $2 AND w.channel = 'in_app' AND i.status = 'sent' AND w.expires_at > now()
        ORDER BY w.created_at`, [workspaceId, contactId]);
    return rows.map((r) => ({ waveId: r.wave_id, surveyId: r.survey_id, accountId: r.account_id, expiresAt: new Date(r.expires_at) }));
  }
}
