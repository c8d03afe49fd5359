import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The invoice reconciliation of one close: both values of every difference with the tax platform. */
@Entity('invoice_sync_report')
export class InvoiceSyncReport {
  @PrimaryColumn({ name: 'close_id', type: 'text' }) closeId!: string;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ type: 'int' }) uploaded!: number;
  @Column({ type: 'int' }) matched!: number;
  @Column({ name: 'missing_on_platform', type: 'jsonb' }) missingOnPlatform!: unknown[];
  @Column({ name: 'missing_in_ledger', type: 'jsonb' }) missingInLedger!: unknown[];
  @Column({ type: 'jsonb' }) mismatches!: unknown[];
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
