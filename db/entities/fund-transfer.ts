import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type FundTransferState = 'in_transit' | 'settled' | 'failed' | 'returned' | 'posted';

/** 资金划拨: confirmed with the bank; a settled transfer is posted by exactly one voucher. */
@Entity('fund_transfer')
export class FundTransfer {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ type: 'text', unique: true }) reference!: string;
  @Column({ type: 'bigint' }) amount!: string;
  @Column({ name: 'debit_account', type: 'text' }) debitAccount!: string;
  @Column({ name: 'credit_account', type: 'text' }) creditAccount!: string;
  @Column({ type: 'text' }) counterparty!: string;
  @Column({ type: 'text' }) state!: FundTransferState;
  @Column({ name: 'bank_reason', type: 'text', nullable: true }) bankReason!: string | null;
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true }) settledAt!: Date | null;
  @Column({ name: 'voucher_id', type: 'bigint', nullable: true }) voucherId!: string | null;
}
