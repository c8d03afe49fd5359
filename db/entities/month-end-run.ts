import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A month-end for many ledgers; its summary is counted from the close runs that point at it. */
@Entity('month_end_run')
export class MonthEndRun {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ name: 'workflow_id', type: 'text' }) workflowId!: string;
  @Column({ type: 'text' }) period!: string;
  @Column({ type: 'jsonb' }) scope!: { ledgers?: string[]; parent?: string };
  @Column({ name: 'initiated_by', type: 'text' }) initiatedBy!: string;
  @Column({ type: 'text' }) state!: 'running' | 'completed' | 'failed' | 'cancelled';
  @Column({ name: 'ledger_count', type: 'int', nullable: true }) ledgerCount!: number | null;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
}
