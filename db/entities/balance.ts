import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per account and period, signed debit-positive: closing = opening + debit − credit, written by the close. */
@Entity('balance')
export class Balance {
  @PrimaryColumn({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @PrimaryColumn({ type: 'text' }) period!: string;
  @PrimaryColumn({ name: 'account_code', type: 'text' }) accountCode!: string;
  @Column({ type: 'bigint' }) opening!: string;
  @Column({ type: 'bigint', nullable: true }) debit!: string | null;
  @Column({ type: 'bigint', nullable: true }) credit!: string | null;
  @Column({ type: 'bigint', nullable: true }) closing!: string | null;
}
