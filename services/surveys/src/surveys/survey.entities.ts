import type { ResponseCategory, ResponseChannel, SurveyKind } from '@cairn/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'survey' })
export class SurveyEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() id: string;
  @Column() name: string;
  @Column({ type: 'text' }) kind: SurveyKind;
  @Column() question: string;
  @Column({ type: 'text', nullable: true }) followUpQuestion: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** A person's current answer to a survey. */
@Entity({ name: 'survey_response' })
export class SurveyResponseEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() id: string;
  @Column() surveyId: string;
  /** Who answered: the contact id, so a second answer replaces the first. */
  @Column({ select: false }) respondentKey: string;
  @Column() accountId: string;
  @Column({ type: 'text', nullable: true }) contactId: string | null;
  /** The wave the person was invited in, for answers through a link or in-app. */
  @Column({ type: 'text', nullable: true }) waveId: string | null;
  @Column({ type: 'text' }) channel: ResponseChannel;
  @Column({ type: 'integer' }) score: number;
  @Column({ type: 'text' }) category: ResponseCategory;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  /** 1 for a first answer, +1 each time the person answers again. */
  @Column({ type: 'integer' }) revision: number;
  @Column({ type: 'timestamptz' }) respondedAt: Date;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** An answer that a later answer of the same person replaced (audit trail). */
@Entity({ name: 'survey_response_history' })
export class SurveyResponseHistoryEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'bigint', select: false }) seq: string;
  @Column() responseId: string;
  @Column() surveyId: string;
  @Column() accountId: string;
  @Column({ type: 'text', nullable: true }) contactId: string | null;
  @Column({ type: 'integer' }) score: number;
  @Column({ type: 'text' }) category: ResponseCategory;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @Column({ type: 'integer' }) revision: number;
  @Column({ type: 'timestamptz' }) respondedAt: Date;
  @Column({ type: 'timestamptz' }) replacedAt: Date;
}
