import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type InvoiceSyncState = 'pending' | 'uploaded' | 'matched' | 'mismatched';

/** 发票: unique number per ledger, dated in its period; must agree with the tax platform before close. */
@Entity('invoice')
export class Invoice {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ type: 'text' }) number!: string;
  @Column({ name: 'buyer_name', type: 'text' }) buyerName!: string;
  @Column({ name: 'buyer_tax_id', type: 'text' }) buyerTaxId!: string;
  @Column({ name: 'seller_tax_id', type: 'text' }) sellerTaxId!: string;
  @Column({ type: 'bigint' }) amount!: string;
  @Column({ type: 'bigint' }) tax!: string;
  @Column({ name: 'invoice_date', type: 'date' }) invoiceDate!: string;
  @Column({ type: 'jsonb' }) lines!: unknown[];
  @Column({ name: 'sync_state', type: 'text' }) syncState!: InvoiceSyncState;
  @Column({ name: 'synced_at', type: 'timestamptz', nullable: true }) syncedAt!: Date | null;
  @Column({ name: 'voucher_id', type: 'bigint', nullable: true }) voucherId!: string | null;
}
