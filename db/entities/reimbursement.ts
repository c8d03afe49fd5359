import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ReimbursementState = 'submitted' | 'approved' | 'paid' | 'posted' | 'deferred';

/** 费用报销: blocks its period's close until posted, or deferred to the next period with a reason. */
@Entity('reimbursement')
export class Reimbursement {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ type: 'text' }) number!: string;
  @Column({ type: 'text' }) claimant!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'bigint' }) amount!: string;
  @Column({ name: 'expense_account', type: 'text' }) expenseAccount!: string;
  @Column({ type: 'text' }) state!: ReimbursementState;
  @Column({ name: 'deferred_to', type: 'text', nullable: true }) deferredTo!: string | null;
  @Column({ name: 'deferred_reason', type: 'text', nullable: true }) deferredReason!: string | null;
  @Column({ name: 'voucher_id', type: 'bigint', nullable: true }) voucherId!: string | null;
}
