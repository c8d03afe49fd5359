import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What a close read of its period, per account, with a checksum a later audit can recompute. */
@Entity('period_snapshot')
export class PeriodSnapshot {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'close_id', type: 'text' }) closeId!: string;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ name: 'line_count', type: 'bigint' }) lineCount!: string;
  @Column({ name: 'debit_total', type: 'bigint' }) debitTotal!: string;
  @Column({ name: 'credit_total', type: 'bigint' }) creditTotal!: string;
  @Column({ type: 'text' }) checksum!: string;
  @Column({ type: 'jsonb' }) accounts!: Array<{ account: string; lines: number; debit: string; credit: string }>;
  @Column({ name: 'taken_at', type: 'timestamptz' }) takenAt!: Date;
}
