import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AudienceRule } from '../domain/audience';

export type WaveChannel = 'email' | 'in_app';
export type InvitationStatus = 'pending' | 'sent' | 'failed' | 'answered';

/** One sending of a survey to an audience, by email or in-app; its links expire together. */
@Entity({ name: 'survey_wave' })
export class SurveyWaveEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() id: string;
  @Column() surveyId: string;
  @Column() name: string;
  @Column({ type: 'text' }) channel: WaveChannel;
  @Column({ type: 'jsonb' }) audience: AudienceRule;
  @Column({ type: 'timestamptz' }) expiresAt: Date;
  /** Base URL of the links in this wave's emails. */
  @Column({ select: false }) linkBaseUrl: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** One person invited in a wave: pending → sent (email) → answered, or failed after retries. */
@Entity({ name: 'survey_invitation' })
export class SurveyInvitationEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() waveId: string;
  @PrimaryColumn() contactId: string;
  @Column() surveyId: string;
  @Column() accountId: string;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column({ type: 'text' }) status: InvitationStatus;
  @Column({ type: 'integer' }) attempts: number;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) answeredAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
