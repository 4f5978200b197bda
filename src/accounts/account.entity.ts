import { columnsOf, rowMapper } from '../platform/columns';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A buyer account: buys calls, owns disputes. */
@Entity({ name: 'accounts' })
export class AccountEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('integer', { name: 'dispute_window_hours' }) disputeWindowHours!: number;
  @Column('char', { length: 3 }) currency!: string;
  /** Rule 15: DUPLICATE_CALL disputes of a call with a duplicateOf are accepted at once. */
  @Column('boolean', { name: 'auto_accept_duplicates' }) autoAcceptDuplicates!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** The columns of the table, from the entity's decorators, in the order they are declared. */
export const ACCOUNT_COLUMNS = columnsOf(AccountEntity);

/** Reads rows by alias, straight from the entity's decorators (platform/columns.ts). */
export const accountRowMapper = rowMapper(AccountEntity);
