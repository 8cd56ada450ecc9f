import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

const numeric = { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** An account (Segment group) and what its traits say. */
@Entity({ name: 'account' })
export class AccountEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() id: string;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ type: 'text', nullable: true }) domain: string | null;
  @Column({ type: 'text', nullable: true }) plan: string | null;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) arr: number | null;
  @Column({ type: 'integer', nullable: true }) seats: number | null;
  @Column({ type: 'text', nullable: true }) csmOwner: string | null;
  @Column({ type: 'text', nullable: true }) lifecycleStage: string | null;
  @Column({ type: 'jsonb' }) traits: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** A person (Segment identify), keyed by userId. */
@Entity({ name: 'contact' })
export class ContactEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() id: string;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ type: 'text', nullable: true }) title: string | null;
  /** Role from the person's latest identify; each membership keeps its own role. */
  @Column({ type: 'text', nullable: true }) role: string | null;
  @Column({ type: 'jsonb' }) traits: Record<string, unknown>;
  @Column({ type: 'text', nullable: true }) mergedInto: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** A person in an account, with their role there and any open departure episode. */
@Entity({ name: 'membership' })
export class MembershipEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() accountId: string;
  @PrimaryColumn() contactId: string;
  @Column({ type: 'text', nullable: true }) role: string | null;
  @Column({ type: 'timestamptz', nullable: true }) removedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) departedAt: Date | null;
  @Column({ type: 'text', nullable: true }) departureRule: string | null;
  @Column({ type: 'integer' }) departureEpisode: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
