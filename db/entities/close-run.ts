import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Blocker, CloseState, StepStatus, StepError } from '../../close';

/** One close attempt, kept equal to its workflow's status; at most one live close per ledger and period. */
@Entity('close_run')
export class CloseRun {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ name: 'workflow_id', type: 'text' }) workflowId!: string;
  @Column({ name: 'run_id', type: 'text', nullable: true }) runId!: string | null;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ name: 'initiated_by', type: 'text' }) initiatedBy!: string;
  @Column({ name: 'month_end_id', type: 'text', nullable: true }) monthEndId!: string | null;
  @Column({ type: 'text' }) state!: CloseState;
  @Column({ name: 'current_step', type: 'text', nullable: true }) currentStep!: string | null;
  @Column({ type: 'jsonb' }) steps!: StepStatus[];
  @Column({ type: 'jsonb' }) blockers!: Blocker[];
  @Column({ type: 'jsonb' }) errors!: StepError[];
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt!: Date | null;
}
