import { Entity, PrimaryColumn } from 'typeorm';

/** Which permission a role grants; seeded by migration, changed only by a migration. */
@Entity('role_permission')
export class RolePermission {
  @PrimaryColumn({ type: 'text' }) role!: string;
  @PrimaryColumn({ type: 'text' }) permission!: string;
}
