import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RoleName = 'finance_manager' | 'accountant' | 'operations' | 'auditor' | 'administrator' | 'scheduler';

/** A person or program acting on the books, with exactly one role. */
@Entity('app_user')
export class AppUser {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'text', unique: true }) name!: string;
  @Column({ type: 'text' }) role!: RoleName;
  @Column({ type: 'boolean' }) active!: boolean;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
