import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../platform/scalars';
import { graphqlEnum } from '../platform/enums';
import { connectionTypes } from '../platform/pagination';
import { MaxItems } from '../platform/list-size';
import { MAX_COLUMNS } from '../settings/table-settings-rules';
import { DisputeFilter, DisputeOrder } from '../disputes/dispute.types';
import { CallFilter } from '../calls/call.types';
import type { TableColumn, TableName } from './export-columns';
import { TableColumnEnum, TableNameEnum } from '../settings/table-settings.types';

export const EXPORT_STATUSES = ['RUNNING', 'DONE', 'FAILED'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export const ExportStatusEnum = graphqlEnum(EXPORT_STATUSES, {
  name: 'ExportStatus',
  description: 'Where an export stands.',
  values: {
    RUNNING: 'Being written.',
    DONE: 'Written; `url` downloads it.',
    FAILED: 'Given up; `error` says why.',
  },
});

/** One export as read from `exports`. */
export interface ExportRow {
  id: string;
  userId: string;
  table: TableName;
  status: ExportStatus;
  columns: TableColumn[];
  rowsWritten: number;
  totalRows: number;
  fileName: string;
  objectKey: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

@ObjectType({ description: 'A CSV file of the rows a page lists, written in the background.' })
export class Export {
  @Field(() => ID, { description: 'The export; pass it to `export` and `exportProgress`.' })
  id!: string;
  @Field(() => TableNameEnum, { description: 'The table whose rows it writes.' })
  table!: TableName;
  @Field(() => ExportStatusEnum, { description: 'RUNNING, then DONE or FAILED.' })
  status!: ExportStatus;
  @MaxItems(MAX_COLUMNS)
  @Field(() => [TableColumnEnum], {
    description: `The columns written, in order. At most ${MAX_COLUMNS}.`,
  })
  columns!: TableColumn[];
  @Field(() => Int, { description: 'Rows written so far.' })
  rowsWritten!: number;
  @Field(() => Int, { description: 'Rows to write, counted when the export starts.' })
  totalRows!: number;
  @Field({ description: 'For example disputes-2026-12-07T10-00-00Z.csv.' })
  fileName!: string;
  @Field(() => DateTimeScalar, { description: 'When it started: the moment its rows are of.' })
  createdAt!: Date;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it became DONE or FAILED; null while RUNNING.',
  })
  finishedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'While FAILED: why, without internals.' })
  error!: string | null;
}

export const ExportConnection = connectionTypes('Export', Export, 'export');

@InputType({ description: 'What a Disputes export lists: as the Disputes page.' })
export class DisputeExportInput {
  @Field(() => DisputeFilter, { nullable: true, description: 'As `disputes(filter)`.' })
  filter?: DisputeFilter | null;
  @Field(() => String, { nullable: true, description: 'As `disputes(search)`.' })
  search?: string | null;
  @Field(() => DisputeOrder, {
    nullable: true,
    description: 'As `disputes(orderBy)`; without it, the default order of rule 10.',
  })
  orderBy?: DisputeOrder | null;
  @Field(() => [TableColumnEnum], {
    nullable: true,
    description: "Default: the viewer's DISPUTES table settings.",
  })
  columns?: TableColumn[] | null;
}

@InputType({ description: 'What a Call Log export lists: as the Call Log.' })
export class CallExportInput {
  @Field(() => CallFilter, { nullable: true, description: 'As `calls(filter)`.' })
  filter?: CallFilter | null;
  @Field(() => [TableColumnEnum], {
    nullable: true,
    description: "Default: the viewer's CALL_LOG table settings.",
  })
  columns?: TableColumn[] | null;
}
