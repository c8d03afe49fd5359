import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PeriodState = 'open' | 'closing' | 'closed';

/** 会计期间: a closed period's data cannot change; only the reopen act (反结账) opens it again. */
@Entity('period')
export class Period {
  @PrimaryColumn({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @PrimaryColumn({ type: 'text' }) period!: string;
  @Column({ type: 'text' }) state!: PeriodState;
  @Column({ name: 'frozen_at', type: 'timestamptz', nullable: true }) frozenAt!: Date | null;
  @Column({ name: 'close_id', type: 'text', nullable: true }) closeId!: string | null;
  @Column({ name: 'closed_by', type: 'text', nullable: true }) closedBy!: string | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
}
