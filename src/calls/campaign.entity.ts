import { columnsOf, rowMapper } from '../platform/columns';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'campaigns' })
export class CampaignEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  /** Overrides the buyer account's window when set. */
  @Column('integer', { name: 'dispute_window_hours', nullable: true })
  disputeWindowHours!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** The columns of the table, from the entity's decorators, in the order they are declared. */
export const CAMPAIGN_COLUMNS = columnsOf(CampaignEntity);

/** Reads rows by alias, straight from the entity's decorators (platform/columns.ts). */
export const campaignRowMapper = rowMapper(CampaignEntity);
