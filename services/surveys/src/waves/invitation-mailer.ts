import { Mailer, MailMessage } from '@cairn/mail';
import { createLogger } from '@cairn/observability';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SurveysConfig } from '../config';
import { SurveyLinks } from './survey-links';

const MAX_ATTEMPTS = 5;
const BATCH = 50;

interface PendingInvitation {
  workspace_id: string;
  wave_id: string;
  contact_id: string;
  survey_id: string;
  account_id: string;
  email: string;
  attempts: number;
  expires_at: Date;
  link_base_url: string;
  survey_name: string;
  question: string;
  follow_up_question: string | null;
  contact_name: string | null;
}

/**
 * Sends the emails of email waves: right after a wave is created, then every
 * SURVEY_MAIL_RETRY_INTERVAL_MS for what is still pending (failures, a restart mid-wave).
 * Rows are claimed with FOR UPDATE SKIP LOCKED, so instances never send the same invitation
 * at once. At-least-once: a crash between the SMTP hand-over and the commit resends that one email.
 */
@Injectable()
export class InvitationMailer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = createLogger('invitation-mailer');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private mailer?: Mailer;

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly config: SurveysConfig, private readonly links: SurveyLinks) {}

  onApplicationBootstrap(): void {
    if (!this.config.SMTP_URL) return;
    this.mailer = new Mailer({ url: this.config.SMTP_URL, from: this.config.SURVEY_EMAIL_FROM, clientName: 'cairn-surveys' });
    this.kick();
    this.timer = setInterval(() => this.kick(), this.config.SURVEY_MAIL_RETRY_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.again = false;
    await this.running;
    this.mailer?.close();
  }

  /** Sends what is pending now, or right after the run in progress. */
  kick(): void {
    if (this.running) { this.again = true; return; }
    this.running = this.run()
      .catch((e) => this.log.warn({ error: (e as Error).message }, 'sending invitations failed; retrying later'))
      .finally(() => {
        this.running = undefined;
        if (this.again && this.timer) { this.again = false; this.kick(); }
      });
  }

  private async run(): Promise<void> {
    for (;;) {
      const { claimed, failures } = await this.db.transaction((m) => this.sendBatch(m));
      // Stop after a short batch, or when something failed (it waits for the next interval).
      if (claimed < BATCH || failures > 0) return;
    }
  }

  private async sendBatch(m: EntityManager): Promise<{ claimed: number; failures: number }> {
    const rows: PendingInvitation[] = await m.query(
      `SELECT i.workspace_id, i.wave_id, i.contact_id, i.survey_id, i.account_id, i.email, i.attempts,
              w.expires_at, w.link_base_url, s.name AS survey_name, s.question, s.follow_up_question, c.name AS contact_name
         FROM survey_invitation i
         JOIN survey_wave w ON w.workspace_id = i.workspace_id AND w.id = i.wave_id
         JOIN survey s ON s.workspace_id = i.workspace_id AND s.id = i.survey_id
         LEFT JOIN contact c ON c.workspace_id = i.workspace_id AND c.contact_id = i.contact_id
        WHERE i.status = 'pending' AND w.channel = 'email'
        ORDER BY i.created_at
        LIMIT ${BATCH}
        FOR UPDATE OF i SKIP LOCKED`);
    let failures = 0;
    for (const r of rows) {
      const key = [r.workspace_id, r.wave_id, r.contact_id];
      if (new Date(r.expires_at).getTime() <= Date.now()) {
        await m.query(`UPDATE survey_invitation SET status = 'failed', last_error = 'the wave expired before the email could be sent'
                        WHERE workspace_id = $1 AND wave_id = $2 AND contact_id = $3`, key);
        continue;
      }
      try {
        await this.mailer!.send(this.message(r));
        await m.query(`UPDATE survey_invitation SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
                        WHERE workspace_id = $1 AND wave_id = $2 AND contact_id = $3`, key);
      } catch (e) {
        failures++;
        const error = (e as Error).message.slice(0, 1000);
        await m.query(
          `UPDATE survey_invitation SET attempts = attempts + 1, last_error = $4,
                  status = CASE WHEN attempts + 1 >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'pending' END
            WHERE workspace_id = $1 AND wave_id = $2 AND contact_id = $3`, [...key, error]);
        this.log.warn({ workspaceId: r.workspace_id, waveId: r.wave_id, contactId: r.contact_id, attempt: r.attempts + 1, error }, 'invitation email not sent');
      }
    }
    return { claimed: rows.length, failures };
  }

  private message(r: PendingInvitation): MailMessage {
    const expiresAt = new Date(r.expires_at);
    const token = this.links.sign({
      workspaceId: r.workspace_id, surveyId: r.survey_id, waveId: r.wave_id, contactId: r.contact_id, accountId: r.account_id,
      expiresAt: expiresAt.getTime(),
    });
    const link = `${r.link_base_url}/public/survey?token=${encodeURIComponent(token)}`;
    const text = [
      r.contact_name ? `Hello ${r.contact_name},` : 'Hello,',
      '',
      r.question,
      ...(r.follow_up_question ? ['', r.follow_up_question] : []),
      '',
      `Answer here (it takes a few seconds): ${link}`,
      '',
      `This link is personal and works until ${expiresAt.toUTCString()}. Answering again replaces your earlier answer.`,
    ].join('\n');
    return { to: r.email, subject: r.survey_name, text };
  }
}
