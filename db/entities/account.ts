import { Column, Entity, PrimaryColumn } from 'typeorm';

export type AccountClass = 'asset' | 'liability' | 'net_asset' | 'income' | 'expenditure';
export type Subledger = 'receivables' | 'payables' | 'invoices' | 'reimbursements';

/** 科目: one net-asset account per ledger receives carried-forward income and expenditure. */
@Entity('account')
export class Account {
  @PrimaryColumn({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @PrimaryColumn({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) class!: AccountClass;
  @Column({ name: 'control_of', type: 'text', nullable: true }) controlOf!: Subledger | null;
  @Column({ name: 'carry_forward_target', type: 'boolean' }) carryForwardTarget!: boolean;
}
