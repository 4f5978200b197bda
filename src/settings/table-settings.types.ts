import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../platform/enums';
import { DateTimeScalar } from '../platform/scalars';
import { OrderDirection } from '../platform/common.types';
import { MaxItems } from '../platform/list-size';
import {
  DisputeOrder,
  DisputeOrderFieldEnum,
  type DisputeOrderField,
} from '../disputes/dispute.types';
import {
  MAX_COLUMNS,
  PAGE_SIZE,
  TABLE_COLUMNS,
  TABLE_NAMES,
  type DisputeOrderValue,
  type TableColumn,
  type TableName,
  type TableSettingsValue,
} from './table-settings-rules';

export const TableNameEnum = graphqlEnum(TABLE_NAMES, {
  name: 'TableName',
  description: 'A table of the app whose columns, rows per page and order each user keeps.',
  values: {
    DISPUTES: 'The Disputes page of a buyer and Manage Disputes of a manager.',
    CALL_LOG: 'The Call Log.',
  },
});

export const TableColumnEnum = graphqlEnum(TABLE_COLUMNS, {
  name: 'TableColumn',
  description: 'A column of a table. Each table allows the columns listed in README.md, rule 18.',
  values: {
    STATUS: "The dispute's status (DISPUTES) or the call's status (CALL_LOG).",
    CALL_DATE: 'When the call started.',
    CALLER_ID: "The caller's number.",
    DESTINATION: 'The number the caller dialled.',
    PAYOUT: "The call's current payout.",
    ORIGINAL_PAYOUT: "The call's payout before any adjustment.",
    CURRENCY: "The currency code of the row's money columns.",
    REASON: "The dispute's reason.",
    RECORDING: "The call's recording.",
    BUYER: 'The buyer account; managers only.',
    CAMPAIGN: "The call's campaign.",
    DURATION: "The call's duration.",
    HANGUP: 'Who hung up, and why.',
    CREATED_AT: 'When the dispute was sent.',
    REVIEW_DUE_AT: 'When a manager should have decided the dispute.',
    DECISION: "The decision's outcome.",
    ADJUSTMENT: "The decision's adjustment of the payout.",
    DECIDED_AT: 'When the dispute was decided.',
    DISPUTABILITY: 'Whether the call may be disputed now, or why not.',
    DISPUTE_ID: "The dispute's ID.",
    CALL_ID: "The call's ID.",
  },
});

@ObjectType({ description: 'A saved order of the Disputes page.' })
export class DisputeOrderSetting implements DisputeOrderValue {
  @Field(() => DisputeOrderFieldEnum, { description: 'What the list is sorted by.' })
  field!: DisputeOrderField;
  @Field(() => OrderDirection, { description: 'Which way.' })
  direction!: OrderDirection;
}

@ObjectType({
  description:
    'How one user sees one table, on every device: saved on the server, never shared with other users.',
})
export class TableSettings implements TableSettingsValue {
  @Field(() => TableNameEnum, { description: 'The table these settings are for.' })
  table!: TableName;
  @MaxItems(MAX_COLUMNS)
  @Field(() => [TableColumnEnum], {
    description: `The columns shown, in display order. At most ${MAX_COLUMNS}.`,
  })
  columns!: TableColumn[];
  @Field(() => Int, { description: 'Rows per page, 10 to 100.' })
  pageSize!: number;
  @Field(() => DisputeOrderSetting, {
    nullable: true,
    description:
      'The saved order of the Disputes page; null means the default order (rule 10). Always null for CALL_LOG.',
  })
  disputeOrder!: DisputeOrderSetting | null;
  @Field(() => Int, { description: '0 while the defaults apply; each save or reset adds 1.' })
  version!: number;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When last saved or reset; null while never saved.',
  })
  updatedAt!: Date | null;
}

@InputType({ description: "The viewer's new settings for one table (README.md, rule 18)." })
export class SaveTableSettingsInput {
  @Field(() => TableNameEnum, { description: 'The table to save the settings of.' })
  table!: TableName;
  @Field(() => [TableColumnEnum], {
    description: `The columns to show, in display order: 1 to ${MAX_COLUMNS}, none twice, each allowed for the table and the viewer's role.`,
  })
  columns!: TableColumn[];
  @Field(() => Int, {
    description: `Rows per page, ${PAGE_SIZE.min} to ${PAGE_SIZE.max}.`,
  })
  pageSize!: number;
  @Field(() => DisputeOrder, {
    nullable: true,
    description: 'DISPUTES only: the order to keep; absent or null keeps the default order.',
  })
  disputeOrder?: DisputeOrder | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'When given, the save succeeds only if the stored version is still this one (BAD_USER_INPUT naming expectedVersion otherwise), so two devices do not overwrite each other unknowingly.',
  })
  expectedVersion?: number | null;
}
