import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 分录: one side only, amounts in minor units; all lines of a voucher are written in one statement. */
@Entity('voucher_line')
export class VoucherLine {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ name: 'voucher_id', type: 'bigint' }) voucherId!: string;
  @Column({ name: 'ledger_id', type: 'int' }) ledgerId!: number;
  @Column({ type: 'text' }) period!: string;
  @Column({ name: 'line_no', type: 'smallint' }) lineNo!: number;
  @Column({ name: 'account_code', type: 'text' }) accountCode!: string;
  @Column({ type: 'bigint' }) debit!: string;
  @Column({ type: 'bigint' }) credit!: string;
  @Column({ type: 'text' }) memo!: string;
}
