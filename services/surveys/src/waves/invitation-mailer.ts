import { Mailer, MailMessage } from '@cairn/mail';
import { createLogger } from '@cairn/observability';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SurveysConfig } from '../config';
import { PendingInvitation, WaveStore } from './wave.store';
import { SurveyLinks } from './survey-links';

const MAX_ATTEMPTS = 5;
const BATCH = 50;

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

  constructor(
    @InjectDataSource() private readonly db: DataSource, private readonly config: SurveysConfig, private readonly links: SurveyLinks,
    private readonly store: WaveStore,
  ) {}

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
    const rows = await this.store.claimPending(m, BATCH);
    let failures = 0;
    for (const r of rows) {
      if (r.expiresAt.getTime() <= Date.now()) {
        await this.store.markExpired(m, r);
        continue;
      }
      try {
        await this.mailer!.send(this.message(r));
        await this.store.markSent(m, r);
      } catch (e) {
        failures++;
        const error = (e as Error).message.slice(0, 1000);
        await this.store.markAttemptFailed(m, r, error, MAX_ATTEMPTS);
        this.log.warn({ workspaceId: r.workspaceId, waveId: r.waveId, contactId: r.contactId, attempt: r.attempts + 1, error }, 'invitation email not sent');
      }
    }
    return { claimed: rows.length, failures };
  }

  private message(r: PendingInvitation): MailMessage {
    const expiresAt = r.expiresAt;
    const token = this.links.sign({
      workspaceId: r.workspaceId, surveyId: r.surveyId, waveId: r.waveId, contactId: r.contactId, accountId: r.accountId,
      expiresAt: expiresAt.getTime(),
    });
    const link = `${r.linkBaseUrl}/public/survey?token=${encodeURIComponent(token)}`;
    const text = [
      r.contactName ? `Hello ${r.contactName},` : 'Hello,',
      '',
      r.question,
      ...(r.followUpQuestion ? ['', r.followUpQuestion] : []),
      '',
      `Answer here (it takes a few seconds): ${link}`,
      '',
      `This link is personal and works until ${expiresAt.toUTCString()}. Answering again replaces your earlier answer.`,
    ].join('\n');
    return { to: r.email, subject: r.surveyName, text };
  }
}
