import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A bearer token, stored only as its SHA-256; revoked tokens stay for the record. */
@Entity('api_token')
export class ApiToken {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'user_id', type: 'int' }) userId!: number;
  @Column({ name: 'token_hash', type: 'text', unique: true }) tokenHash!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}
