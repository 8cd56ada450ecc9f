import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What surveys knows of an account, learnt from directory.account-upserted events. */
@Entity({ name: 'account' })
export class AccountEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() accountId: string;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ type: 'text', nullable: true }) plan: string | null;
  /** The account's `segment` trait, when the customer sends one. */
  @Column({ type: 'text', nullable: true }) segment: string | null;
  @Column({ type: 'text', nullable: true }) csmOwner: string | null;
  @Column({ type: 'jsonb' }) traits: Record<string, unknown>;
  /** Event time of the newest event applied: older events arriving late do not win. */
  @Column({ type: 'timestamptz' }) sourceTime: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}

/** What surveys knows of a person, learnt from directory.contact-upserted events. */
@Entity({ name: 'contact' })
export class ContactEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() contactId: string;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ type: 'text', nullable: true }) role: string | null;
  @Column({ type: 'text', array: true }) accountIds: string[];
  @Column({ type: 'jsonb' }) traits: Record<string, unknown>;
  @Column({ type: 'timestamptz' }) sourceTime: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}
