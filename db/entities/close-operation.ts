import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A write step done once per ledger and period; a retried step finds its own row and does nothing. */
@Entity('close_operation')
export class CloseOperation {
  @PrimaryColumn({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @PrimaryColumn({ type: 'text' }) period!: string;
  @PrimaryColumn({ type: 'text' }) operation!: 'backup' | 'carry_forward' | 'lock';
  @Column({ name: 'close_id', type: 'text' }) closeId!: string;
  @Column({ type: 'jsonb' }) result!: Record<string, unknown>;
  @Column({ name: 'done_at', type: 'timestamptz' }) doneAt!: Date;
}
