import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A contract's end date, learnt from renewals, for `account.daysToRenewal`. */
@Entity({ name: 'account_contract' })
export class AccountContractEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() contractId: string;
  @Column() accountId: string;
  @Column({ type: 'date' }) endDate: string;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}
