import { rawNames } from '../platform/columns';
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

/** The columns of `campaigns`, in the order campaignRowMapper reads them. */
export const CAMPAIGN_COLUMNS = ['id', 'name', 'dispute_window_hours', 'created_at'] as const;

/** Reads campaigns from raw rows named `${alias}_${column}` (see callRowMapper). */
export function campaignRowMapper(alias: string): (row: Record<string, unknown>) => CampaignEntity {
  const k = rawNames(alias, CAMPAIGN_COLUMNS);
  return (r) => ({
    id: r[k.id] as string,
    name: r[k.name] as string,
    disputeWindowHours: r[k.dispute_window_hours] as number | null,
    createdAt: r[k.created_at] as Date,
  });
}
