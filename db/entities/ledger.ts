import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 账套: one organisation's books; a federation's grassroots unions are ledgers with a parent. */
@Entity('ledger')
export class Ledger {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text', unique: true }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ name: 'parent_id', type: 'int', nullable: true }) parentId!: number | null;
  @Column({ name: 'taxpayer_id', type: 'text' }) taxpayerId!: string;
  @Column({ name: 'first_period', type: 'text' }) firstPeriod!: string;
  @Column({ type: 'boolean' }) active!: boolean;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
