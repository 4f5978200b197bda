import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Permission, Role } from '../auth/permissions';
import { rawNames } from '../platform/columns';

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

/** The columns of `users`, in the order userRowMapper reads them. */
export const USER_COLUMNS = [
  'id',
  'name',
  'email',
  'role',
  'account_id',
  'permissions',
  'created_at',
] as const;

/** Reads users from raw rows named `${alias}_${column}`, or by column alone without an alias. */
export function userRowMapper(alias: string): (row: Record<string, unknown>) => UserEntity {
  const k = rawNames(alias, USER_COLUMNS);
  return (r) => ({
    id: r[k.id] as string,
    name: r[k.name] as string,
    email: r[k.email] as string,
    role: r[k.role] as Role,
    accountId: r[k.account_id] as string | null,
    permissions: r[k.permissions] as Permission[],
    createdAt: r[k.created_at] as Date,
  });
}
