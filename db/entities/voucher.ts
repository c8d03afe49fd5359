import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type VoucherState = 'draft' | 'submitted' | 'approved' | 'rejected' | 'posted';

/** 凭证: balanced (debits = credits), approved by someone other than its preparer, posted once. */
@Entity('voucher')
export class Voucher {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ type: 'int' }) number!: number;
  @Column({ name: 'voucher_date', type: 'date' }) voucherDate!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'text' }) preparer!: string;
  @Column({ type: 'text', nullable: true }) approver!: string | null;
  @Column({ type: 'text' }) state!: VoucherState;
  @Column({ name: 'source_type', type: 'text', nullable: true }) sourceType!: string | null;
  @Column({ name: 'source_id', type: 'bigint', nullable: true }) sourceId!: string | null;
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true }) approvedAt!: Date | null;
  @Column({ name: 'posted_at', type: 'timestamptz', nullable: true }) postedAt!: Date | null;
}
