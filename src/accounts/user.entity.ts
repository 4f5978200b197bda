import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Permission, Role } from '../accounts/permissions';
import { columnsOf, rowMapper } from '../platform/columns';

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

/** The columns of the table, from the entity's decorators, in the order they are declared. */
export const USER_COLUMNS = columnsOf(UserEntity);

/** Reads rows by alias, straight from the entity's decorators (platform/columns.ts). */
export const userRowMapper = rowMapper(UserEntity);
