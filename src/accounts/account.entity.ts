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
