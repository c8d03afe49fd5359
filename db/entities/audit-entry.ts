import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what, when and why; append-only (the database rejects updates and deletes). */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'text' }) actor!: string;
  @Column({ type: 'text' }) action!: string;
  @Column({ name: 'ledger_id', type: 'int', nullable: true }) ledgerId!: number | null;
  @Column({ type: 'text', nullable: true }) period!: string | null;
  @Column({ type: 'text', nullable: true }) target!: string | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'jsonb' }) details!: Record<string, unknown>;
}
