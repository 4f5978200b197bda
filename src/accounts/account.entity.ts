import { rawNames } from '../platform/columns';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A buyer account: buys calls, owns disputes. */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('integer', { name: 'dispute_window_hours' }) disputeWindowHours!: number;
  @Column('char', { length: 3 }) currency!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** The columns of `accounts`, in the order accountRowMapper reads them. */
export const ACCOUNT_COLUMNS = [
  'id',
  'name',
  'dispute_window_hours',
  'currency',
  'created_at',
] as const;

/** Reads accounts from raw rows named `${alias}_${column}` (see callRowMapper). */
export function accountRowMapper(alias: string): (row: Record<string, unknown>) => AccountEntity {
  const k = rawNames(alias, ACCOUNT_COLUMNS);
  return (r) => ({
    id: r[k.id] as string,
    name: r[k.name] as string,
    disputeWindowHours: r[k.dispute_window_hours] as number,
    currency: r[k.currency] as string,
    createdAt: r[k.created_at] as Date,
  });
}
