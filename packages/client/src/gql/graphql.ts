/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What a Call Log export lists: as the Call Log. */
export type CallExportInput = {
  /** Default: the viewer's CALL_LOG table settings. */
  columns?: Array<TableColumn> | null | undefined;
  /** As `calls(filter)`. */
  filter?: CallFilter | null | undefined;
};

/** Narrows the Call Log. All given conditions must hold. */
export type CallFilter = {
  /** Managers only; ignored for buyers. */
  buyerId?: string | number | null | undefined;
  /** Calls of this campaign. */
  campaignId?: string | number | null | undefined;
  /** Only calls whose Dispute Call action is allowed now. */
  disputable?: boolean | null | undefined;
  /** Calls started at or after this instant. */
  startedFrom?: string | null | undefined;
  /** Calls started before this instant. */
  startedTo?: string | null | undefined;
  /** Any of these statuses. */
  status?: Array<CallStatus> | null | undefined;
};

/** Where a call ended up. Only calls with a conversion are paid, and so disputable. */
export type CallStatus =
  /** Not connected, no conversion: not paid. */
  | 'CALL_NOT_CONNECTED_NO_CONVERSION'
  /** Counted as a conversion without connecting: paid, disputable. */
  | 'CALL_NOT_CONNECTED_WITH_CONVERSION'
  /** Connected, no conversion: not paid. */
  | 'COMPLETED_NO_CONVERSION'
  /** Connected and converted: paid, disputable. */
  | 'COMPLETED_WITH_CONVERSION'
  /** The call is still going on. */
  | 'IN_PROGRESS';

/** A dispute of one call, sent by a buyer user holding DISPUTE_CALLS. */
export type CreateDisputeInput = {
  /** A note for the manager; trimmed, at most 2,000 characters. */
  additionalInfo?: string | null | undefined;
  /** The call to dispute (see Call.disputability). */
  callId: string | number;
  /** Up to 10 evidence files from createEvidenceUpload, uploaded by the same user. */
  evidenceIds?: Array<string | number> | null | undefined;
  /** Retrying with the same key returns the dispute the first attempt created. */
  idempotencyKey?: string | null | undefined;
  /** Why the call is invalid. */
  reason: DisputeReason;
};

/** A file the client is about to upload as evidence. */
export type CreateEvidenceUploadInput = {
  /** One of image/png, image/jpeg, image/webp, application/pdf, text/plain, audio/mpeg, audio/wav, audio/ogg. */
  contentType: string;
  /** The file's name, kept for display and downloads (sanitized). */
  fileName: string;
  /** Exact size in bytes; at most 25 MiB. */
  sizeBytes: number;
};

/** Why the Dispute Call action is not offered for a call. */
export type DisputeBlock =
  /** A dispute of this call was accepted; it cannot be disputed again. */
  | 'ALREADY_ADJUSTED'
  /** A dispute of this call is waiting for a decision. */
  | 'DISPUTE_PENDING'
  /** The viewer does not hold DISPUTE_CALLS (managers never do). */
  | 'NO_PERMISSION'
  /** Only COMPLETED_WITH_CONVERSION and CALL_NOT_CONNECTED_WITH_CONVERSION calls can be disputed. */
  | 'STATUS_NOT_DISPUTABLE'
  /** The Dispute Window (Hold Period) of the call has ended. */
  | 'WINDOW_EXPIRED';

/** What a Disputes export lists: as the Disputes page. */
export type DisputeExportInput = {
  /** Default: the viewer's DISPUTES table settings. */
  columns?: Array<TableColumn> | null | undefined;
  /** As `disputes(filter)`. */
  filter?: DisputeFilter | null | undefined;
  /** As `disputes(orderBy)`; without it, the default order of rule 10. */
  orderBy?: DisputeOrder | null | undefined;
  /** As `disputes(search)`. */
  search?: string | null | undefined;
};

/** Narrows the Disputes list. All given conditions must hold. */
export type DisputeFilter = {
  /** Managers only; ignored for buyers. */
  buyerId?: string | number | null | undefined;
  /** Calls started at or after this instant. */
  callDateFrom?: string | null | undefined;
  /** Calls started before this instant. */
  callDateTo?: string | null | undefined;
  /** Disputes of calls of this campaign. */
  campaignId?: string | number | null | undefined;
  /** Only disputes whose call has (true) or has no (false) recording. */
  hasRecording?: boolean | null | undefined;
  /** Only PENDING disputes past (true) or within (false) their reviewDueAt. */
  overdue?: boolean | null | undefined;
  /** Any of these reasons. */
  reason?: Array<DisputeReason> | null | undefined;
  /** Any of these statuses. */
  status?: Array<DisputeStatus> | null | undefined;
};

/** How the Disputes list is sorted. */
export type DisputeOrder = {
  /** Which way; ASC by default. */
  direction?: OrderDirection | null | undefined;
  /** What to sort by. */
  field: DisputeOrderField;
};

/** What the Disputes list is sorted by; ties are broken by newest dispute first. */
export type DisputeOrderField =
  /** When the disputed call started. */
  | 'CALL_DATE'
  /** When the dispute was sent. */
  | 'CREATED_AT'
  /** The disputed call's current payout. */
  | 'PAYOUT'
  /** When a manager should have decided (reviewDueAt); ties by dispute ID. */
  | 'REVIEW_DUE_AT'
  /** PENDING, ACCEPTED, ACCEPTED_PARTIAL, REJECTED, WITHDRAWN (ASC), newest dispute first within a status. The default. */
  | 'STATUS';

/** Why the buyer thinks the call is invalid. */
export type DisputeReason =
  /** The caller hung up at once. */
  | 'CALLER_HUNG_UP_IMMEDIATELY'
  /** The call never connected. */
  | 'CALL_NOT_CONNECTED'
  /** The caller did not meet the campaign's criteria. */
  | 'DID_NOT_MEET_QUALIFICATION'
  /** The same caller was already paid for. */
  | 'DUPLICATE_CALL'
  /** A bot, a prank or a wrong number. */
  | 'INVALID_CALLER'
  /** Anything else; explain in additionalInfo. */
  | 'OTHER'
  /** Audio, routing or other technical problems. */
  | 'TECHNICAL_ISSUES';

/** Where a dispute stands. WITHDRAWN is final; a decision stands unless a manager reopens it (reopenDispute). */
export type DisputeStatus =
  /** Accepted: the call's payout dropped to 0.00. */
  | 'ACCEPTED'
  /** Partly accepted: the call's payout dropped by the adjustment. */
  | 'ACCEPTED_PARTIAL'
  /** Waiting for a manager's decision. */
  | 'PENDING'
  /** Rejected: the payout is unchanged; the call may be disputed again inside its window. */
  | 'REJECTED'
  /** Taken back by the buyer before a decision; like REJECTED, it does not block a new dispute. Sorts after REJECTED. */
  | 'WITHDRAWN';

/** Where an export stands. */
export type ExportStatus =
  /** Written; `url` downloads it. */
  | 'DONE'
  /** Given up; `error` says why. */
  | 'FAILED'
  /** Being written. */
  | 'RUNNING';

/** What a notification is about. */
export type NotificationKind =
  /** A SHARED comment: from a buyer user to managers; from a manager to the buyer account's users. */
  | 'DISPUTE_COMMENTED'
  /** To managers: a buyer sent a dispute. */
  | 'DISPUTE_CREATED'
  /** To the account's users with DISPUTE_CALLS: a manager reopened a decided dispute. */
  | 'DISPUTE_REOPENED'
  /** To the buyer account's users: a manager decided a dispute. */
  | 'DISPUTE_RESOLVED'
  /** To managers: a buyer withdrew a dispute. */
  | 'DISPUTE_WITHDRAWN';

/** Which way a list is sorted. */
export type OrderDirection =
  /** Smallest (or earliest) first. */
  | 'ASC'
  /** Largest (or latest) first. */
  | 'DESC';

/** What a user may do beyond reading its own Call Log. */
export type Permission =
  /** Buyer users: may dispute calls and open the Disputes page. */
  | 'DISPUTE_CALLS'
  /** Managers: may accept, partially accept or reject. Requires VIEW_DISPUTES. */
  | 'EDIT_DISPUTES'
  /** Managers: may open Manage Disputes and read every dispute. */
  | 'VIEW_DISPUTES';

/** What kind of user this is. */
export type Role =
  /** A user of a buyer account: sees its own Call Log and disputes. */
  | 'BUYER'
  /** A platform manager: reviews disputes of every buyer. */
  | 'MANAGER';

/** A column of a table. Each table allows the columns listed in README.md, rule 18. */
export type TableColumn =
  /** The decision's adjustment of the payout. */
  | 'ADJUSTMENT'
  /** The buyer account; managers only. */
  | 'BUYER'
  /** The caller's number. */
  | 'CALLER_ID'
  /** When the call started. */
  | 'CALL_DATE'
  /** The call's ID. */
  | 'CALL_ID'
  /** The call's campaign. */
  | 'CAMPAIGN'
  /** When the dispute was sent. */
  | 'CREATED_AT'
  /** The currency code of the row's money columns. */
  | 'CURRENCY'
  /** When the dispute was decided. */
  | 'DECIDED_AT'
  /** The decision's outcome. */
  | 'DECISION'
  /** The number the caller dialled. */
  | 'DESTINATION'
  /** Whether the call may be disputed now, or why not. */
  | 'DISPUTABILITY'
  /** The dispute's ID. */
  | 'DISPUTE_ID'
  /** The call's duration. */
  | 'DURATION'
  /** Who hung up, and why. */
  | 'HANGUP'
  /** The call's payout before any adjustment. */
  | 'ORIGINAL_PAYOUT'
  /** The call's current payout. */
  | 'PAYOUT'
  /** The dispute's reason. */
  | 'REASON'
  /** The call's recording. */
  | 'RECORDING'
  /** When a manager should have decided the dispute. */
  | 'REVIEW_DUE_AT'
  /** The dispute's status (DISPUTES) or the call's status (CALL_LOG). */
  | 'STATUS';

/** A table of the app whose columns, rows per page and order each user keeps. */
export type TableName =
  /** The Call Log. */
  | 'CALL_LOG'
  /** The Disputes page of a buyer and Manage Disputes of a manager. */
  | 'DISPUTES';

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, name: string, role: Role, permissions: Array<Permission>, pendingDisputesCount: number, unreadNotificationsCount: number } };

export type CallLogQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: CallFilter | null | undefined;
}>;


export type CallLogQuery = { calls: { nodes: Array<{ id: string, startedAt: string, callerId: string, status: CallStatus, payout: { amount: string, currency: string }, disputability: { allowed: boolean, blockedBy: DisputeBlock | null, windowEndsAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type NotificationItemFragment = { id: string, kind: NotificationKind, message: string, readAt: string | null, createdAt: string, dispute: { id: string, status: DisputeStatus } };

export type UnreadNotificationsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type UnreadNotificationsQuery = { viewer: { unreadNotificationsCount: number }, notifications: { nodes: Array<{ id: string, kind: NotificationKind, message: string, readAt: string | null, createdAt: string, dispute: { id: string, status: DisputeStatus } }> } };

export type MarkNotificationsReadMutationVariables = Exact<{
  ids?: Array<string | number> | string | number | null | undefined;
  all?: boolean | null | undefined;
}>;


export type MarkNotificationsReadMutation = { markNotificationsRead: number };

export type NotificationAddedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type NotificationAddedSubscription = { notificationAdded: { id: string, kind: NotificationKind, message: string, readAt: string | null, createdAt: string, dispute: { id: string, status: DisputeStatus } } };

export type PendingDisputesCountSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type PendingDisputesCountSubscription = { pendingDisputesCount: number };

export type DisputeChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DisputeChangedSubscription = { disputeChanged: { id: string, status: DisputeStatus, call: { id: string, payout: { amount: string, currency: string } } } };

export type CreateEvidenceUploadMutationVariables = Exact<{
  input: CreateEvidenceUploadInput;
}>;


export type CreateEvidenceUploadMutation = { createEvidenceUpload: { evidenceId: string, method: string, uploadUrl: string, expiresAt: string, headers: Array<{ name: string, value: string }>, formFields: Array<{ name: string, value: string }> } };

export type CreateDisputeMutationVariables = Exact<{
  input: CreateDisputeInput;
}>;


export type CreateDisputeMutation = { createDispute: { id: string, status: DisputeStatus, reason: DisputeReason, createdAt: string, call: { id: string }, evidence: Array<{ id: string, fileName: string, contentType: string }> } };

export type ExportItemFragment = { id: string, table: TableName, status: ExportStatus, columns: Array<TableColumn>, rowsWritten: number, totalRows: number, fileName: string, createdAt: string, finishedAt: string | null, url: string | null, error: string | null };

export type ExportCallsMutationVariables = Exact<{
  input: CallExportInput;
}>;


export type ExportCallsMutation = { exportCalls: { id: string, table: TableName, status: ExportStatus, columns: Array<TableColumn>, rowsWritten: number, totalRows: number, fileName: string, createdAt: string, finishedAt: string | null, url: string | null, error: string | null } };

export type ExportDisputesMutationVariables = Exact<{
  input: DisputeExportInput;
}>;


export type ExportDisputesMutation = { exportDisputes: { id: string, table: TableName, status: ExportStatus, columns: Array<TableColumn>, rowsWritten: number, totalRows: number, fileName: string, createdAt: string, finishedAt: string | null, url: string | null, error: string | null } };

export type ExportProgressSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type ExportProgressSubscription = { exportProgress: { id: string, table: TableName, status: ExportStatus, columns: Array<TableColumn>, rowsWritten: number, totalRows: number, fileName: string, createdAt: string, finishedAt: string | null, url: string | null, error: string | null } };

export type ExportQueryVariables = Exact<{
  id: string | number;
}>;


export type ExportQuery = { export: { id: string, table: TableName, status: ExportStatus, columns: Array<TableColumn>, rowsWritten: number, totalRows: number, fileName: string, createdAt: string, finishedAt: string | null, url: string | null, error: string | null } | null };

export const NotificationItemFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"NotificationItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dispute"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<NotificationItemFragment, unknown>;
export const ExportItemFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"table"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"columns"}},{"kind":"Field","name":{"kind":"Name","value":"rowsWritten"}},{"kind":"Field","name":{"kind":"Name","value":"totalRows"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportItemFragment, unknown>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"permissions"}},{"kind":"Field","name":{"kind":"Name","value":"pendingDisputesCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadNotificationsCount"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const CallLogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallLog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CallFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"calls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}},{"kind":"Field","name":{"kind":"Name","value":"windowEndsAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<CallLogQuery, CallLogQueryVariables>;
export const UnreadNotificationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnreadNotifications"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unreadNotificationsCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notifications"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"unreadOnly"},"value":{"kind":"BooleanValue","value":true}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"NotificationItem"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"NotificationItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dispute"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<UnreadNotificationsQuery, UnreadNotificationsQueryVariables>;
export const MarkNotificationsReadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkNotificationsRead"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"all"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}},"defaultValue":{"kind":"BooleanValue","value":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"markNotificationsRead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}},{"kind":"Argument","name":{"kind":"Name","value":"all"},"value":{"kind":"Variable","name":{"kind":"Name","value":"all"}}}]}]}}]} as unknown as DocumentNode<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const NotificationAddedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"NotificationAdded"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notificationAdded"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"NotificationItem"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"NotificationItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"dispute"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<NotificationAddedSubscription, NotificationAddedSubscriptionVariables>;
export const PendingDisputesCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PendingDisputesCount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pendingDisputesCount"}}]}}]} as unknown as DocumentNode<PendingDisputesCountSubscription, PendingDisputesCountSubscriptionVariables>;
export const DisputeChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DisputeChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disputeChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DisputeChangedSubscription, DisputeChangedSubscriptionVariables>;
export const CreateEvidenceUploadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateEvidenceUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateEvidenceUploadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createEvidenceUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"evidenceId"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"uploadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"headers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"formFields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<CreateEvidenceUploadMutation, CreateEvidenceUploadMutationVariables>;
export const CreateDisputeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateDispute"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateDisputeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createDispute"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}}]}}]}}]}}]} as unknown as DocumentNode<CreateDisputeMutation, CreateDisputeMutationVariables>;
export const ExportCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ExportCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CallExportInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportItem"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"table"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"columns"}},{"kind":"Field","name":{"kind":"Name","value":"rowsWritten"}},{"kind":"Field","name":{"kind":"Name","value":"totalRows"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportCallsMutation, ExportCallsMutationVariables>;
export const ExportDisputesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ExportDisputes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DisputeExportInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportDisputes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportItem"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"table"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"columns"}},{"kind":"Field","name":{"kind":"Name","value":"rowsWritten"}},{"kind":"Field","name":{"kind":"Name","value":"totalRows"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportDisputesMutation, ExportDisputesMutationVariables>;
export const ExportProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ExportProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportItem"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"table"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"columns"}},{"kind":"Field","name":{"kind":"Name","value":"rowsWritten"}},{"kind":"Field","name":{"kind":"Name","value":"totalRows"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportProgressSubscription, ExportProgressSubscriptionVariables>;
export const ExportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Export"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"export"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportItem"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Export"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"table"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"columns"}},{"kind":"Field","name":{"kind":"Name","value":"rowsWritten"}},{"kind":"Field","name":{"kind":"Name","value":"totalRows"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportQuery, ExportQueryVariables>;