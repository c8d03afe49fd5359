import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Subledger } from './account';

/** A business sub-system's booking; each sub-ledger's movement must equal its control account's. */
@Entity('subledger_entry')
export class SubledgerEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ type: 'text' }) subledger!: Subledger;
  @Column({ type: 'text' }) reference!: string;
  @Column({ type: 'text' }) counterparty!: string;
  @Column({ type: 'bigint' }) amount!: string;
}
