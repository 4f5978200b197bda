import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Permission, Role } from '../auth/permissions';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') email!: string;
  @Column('text') role!: Role;
  @Column('uuid', { name: 'account_id', nullable: true }) accountId!: string | null;
  @Column('text', { array: true }) permissions!: Permission[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
