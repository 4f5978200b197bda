/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 instant in UTC, e.g. 2026-11-26T05:28:51.000Z. */
  DateTime: { input: string; output: string; }
  /** A decimal amount serialized as a string with exactly two fraction digits, e.g. "12.50". Accepted as input as a string (or number) with at most two fraction digits, never negative. */
  Decimal: { input: string; output: string; }
};

/** A buyer account: the company that buys calls and disputes them. */
export type Account = {
  __typename?: 'Account';
  /** The account ID. */
  id: Scalars['ID']['output'];
  /** The account name, e.g. "Acme Insurance". */
  name: Scalars['String']['output'];
};

/** A phone call bought by a buyer account: one row of the Call Log. */
export type Call = {
  __typename?: 'Call';
  /** The buyer account that bought the call. */
  buyer: Account;
  /** The caller's phone number (E.164), e.g. +15551230001. */
  callerId: Scalars['String']['output'];
  /** The campaign the call came through. */
  campaign: Campaign;
  /** The number that was called (E.164). */
  destination: Scalars['String']['output'];
  /** Whether the viewer may dispute this call now; the UI shows Dispute Call exactly when allowed. */
  disputability: Disputability;
  /** Every dispute of this call, newest first. */
  disputes: Array<Dispute>;
  /** How long the call lasted, in seconds. */
  durationSeconds: Scalars['Int']['output'];
  /** How the call ended; null when unknown. */
  hangup?: Maybe<Hangup>;
  /** The call ID. */
  id: Scalars['ID']['output'];
  /** What the buyer paid before any adjustment. */
  originalPayout: Money;
  /** What the buyer pays now, after any accepted adjustment. */
  payout: Money;
  /** The call's audio; null when there is none. */
  recording?: Maybe<Recording>;
  /** When the call started. */
  startedAt: Scalars['DateTime']['output'];
  /** Where the call ended up. */
  status: CallStatus;
};

/** A page of calls. */
export type CallConnection = {
  __typename?: 'CallConnection';
  /** The items of this page with their cursors. */
  edges: Array<CallEdge>;
  /** The items of this page, without cursors. */
  nodes: Array<Call>;
  /** Where this page stands in the whole list. */
  pageInfo: PageInfo;
  /** How many items the whole list holds under the same filter. */
  totalCount: Scalars['Int']['output'];
};

/** One call in a page, with its cursor. */
export type CallEdge = {
  __typename?: 'CallEdge';
  /** Opaque position of this item; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The call. */
  node: Call;
};

/** Narrows the Call Log. All given conditions must hold. */
export type CallFilter = {
  /** Managers only; ignored for buyers. */
  buyerId?: InputMaybe<Scalars['ID']['input']>;
  /** Calls of this campaign. */
  campaignId?: InputMaybe<Scalars['ID']['input']>;
  /** Only calls whose Dispute Call action is allowed now. */
  disputable?: InputMaybe<Scalars['Boolean']['input']>;
  /** Calls started at or after this instant. */
  startedFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Calls started before this instant. */
  startedTo?: InputMaybe<Scalars['DateTime']['input']>;
  /** Any of these statuses. */
  status?: InputMaybe<Array<CallStatus>>;
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

/** A campaign that calls are bought through. */
export type Campaign = {
  __typename?: 'Campaign';
  /** The campaign ID. */
  id: Scalars['ID']['output'];
  /** The campaign name. */
  name: Scalars['String']['output'];
};

/** A dispute of one call, sent by a buyer user holding DISPUTE_CALLS. */
export type CreateDisputeInput = {
  /** A note for the manager; trimmed, at most 2,000 characters. */
  additionalInfo?: InputMaybe<Scalars['String']['input']>;
  /** The call to dispute (see Call.disputability). */
  callId: Scalars['ID']['input'];
  /** Up to 10 evidence files from createEvidenceUpload, uploaded by the same user. */
  evidenceIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Retrying with the same key returns the dispute the first attempt created. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** Why the call is invalid. */
  reason: DisputeReason;
};

/** A file the client is about to upload as evidence. */
export type CreateEvidenceUploadInput = {
  /** One of image/png, image/jpeg, image/webp, application/pdf, text/plain, audio/mpeg, audio/wav, audio/ogg. */
  contentType: Scalars['String']['input'];
  /** The file's name, kept for display and downloads (sanitized). */
  fileName: Scalars['String']['input'];
  /** Exact size in bytes; at most 25 MiB. */
  sizeBytes: Scalars['Int']['input'];
};

/** Whether the viewer may dispute a call now, and if not, why not. */
export type Disputability = {
  __typename?: 'Disputability';
  /** True exactly when createDispute on this call would succeed now. */
  allowed: Scalars['Boolean']['output'];
  /** Null exactly when allowed is true. When several apply, the first in DisputeBlock order. */
  blockedBy?: Maybe<DisputeBlock>;
  /** End of the Dispute Window (Hold Period) of this call. */
  windowEndsAt: Scalars['DateTime']['output'];
};

/** A buyer's claim that a call was invalid, and what became of it. */
export type Dispute = {
  __typename?: 'Dispute';
  /** The buyer's note (at most 2,000 characters). */
  additionalInfo?: Maybe<Scalars['String']['output']>;
  /** The buyer account that sent the dispute. */
  buyer: Account;
  /** The disputed call. */
  call: Call;
  /** When the dispute was sent. */
  createdAt: Scalars['DateTime']['output'];
  /** The buyer user who sent the dispute. */
  createdBy: User;
  /** The manager's decision; null while PENDING. */
  decision?: Maybe<DisputeDecision>;
  /** Files the buyer attached, in the order given. */
  evidence: Array<Evidence>;
  /** The audit trail, oldest first. */
  history: Array<DisputeEvent>;
  /** The dispute ID. */
  id: Scalars['ID']['output'];
  /** Why the buyer disputes the call. */
  reason: DisputeReason;
  /** Where the dispute stands. */
  status: DisputeStatus;
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

/** A page of disputes. */
export type DisputeConnection = {
  __typename?: 'DisputeConnection';
  /** The items of this page with their cursors. */
  edges: Array<DisputeEdge>;
  /** The items of this page, without cursors. */
  nodes: Array<Dispute>;
  /** Where this page stands in the whole list. */
  pageInfo: PageInfo;
  /** How many items the whole list holds under the same filter. */
  totalCount: Scalars['Int']['output'];
};

/** A manager's decision on a dispute. Final once made. */
export type DisputeDecision = {
  __typename?: 'DisputeDecision';
  /** The amount taken off the call's payout: all of it for ACCEPTED, part for ACCEPTED_PARTIAL, 0.00 for REJECTED. */
  adjustment: Money;
  /** Shown to the buyer. */
  comment?: Maybe<Scalars['String']['output']>;
  /** When the decision was made. */
  decidedAt: Scalars['DateTime']['output'];
  /** The manager who decided. */
  decidedBy: User;
  /** ACCEPTED, ACCEPTED_PARTIAL or REJECTED. */
  outcome: DisputeStatus;
};

/** One dispute in a page, with its cursor. */
export type DisputeEdge = {
  __typename?: 'DisputeEdge';
  /** Opaque position of this item; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The dispute. */
  node: Dispute;
};

/** One entry of a dispute's audit trail; entries are never changed or removed. */
export type DisputeEvent = {
  __typename?: 'DisputeEvent';
  /** Who did it. */
  actor: User;
  /** When it happened. */
  at: Scalars['DateTime']['output'];
  /** The event ID. */
  id: Scalars['ID']['output'];
  /** The call's payout after the event. */
  payoutAfter: Money;
  /** The call's payout before the event. */
  payoutBefore: Money;
  /** Status after. */
  statusAfter: DisputeStatus;
  /** Status before; null for CREATED. */
  statusBefore?: Maybe<DisputeStatus>;
  /** What happened. */
  type: DisputeEventType;
};

/** What happened to a dispute. */
export type DisputeEventType =
  /** A buyer user sent the dispute. */
  | 'CREATED'
  /** A manager decided it. */
  | 'RESOLVED';

/** Narrows the Disputes list. All given conditions must hold. */
export type DisputeFilter = {
  /** Managers only; ignored for buyers. */
  buyerId?: InputMaybe<Scalars['ID']['input']>;
  /** Calls started at or after this instant. */
  callDateFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Calls started before this instant. */
  callDateTo?: InputMaybe<Scalars['DateTime']['input']>;
  /** Disputes of calls of this campaign. */
  campaignId?: InputMaybe<Scalars['ID']['input']>;
  /** Only disputes whose call has (true) or has no (false) recording. */
  hasRecording?: InputMaybe<Scalars['Boolean']['input']>;
  /** Any of these reasons. */
  reason?: InputMaybe<Array<DisputeReason>>;
  /** Any of these statuses. */
  status?: InputMaybe<Array<DisputeStatus>>;
};

/** How the Disputes list is sorted. */
export type DisputeOrder = {
  /** Which way; ASC by default. */
  direction?: InputMaybe<OrderDirection>;
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
  /** PENDING, ACCEPTED, ACCEPTED_PARTIAL, REJECTED (ASC), newest dispute first within a status. The default. */
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

/** Where a dispute stands. Every status but PENDING is final. */
export type DisputeStatus =
  /** Accepted: the call's payout dropped to 0.00. */
  | 'ACCEPTED'
  /** Partly accepted: the call's payout dropped by the adjustment. */
  | 'ACCEPTED_PARTIAL'
  /** Waiting for a manager's decision. */
  | 'PENDING'
  /** Rejected: the payout is unchanged; the call may be disputed again inside its window. */
  | 'REJECTED';

/** A file a buyer attached to a dispute. */
export type Evidence = {
  __typename?: 'Evidence';
  /** MIME type, checked against the file's leading bytes. */
  contentType: Scalars['String']['output'];
  /** The original file name, sanitized. */
  fileName: Scalars['String']['output'];
  /** The evidence ID. */
  id: Scalars['ID']['output'];
  /** Size in bytes. */
  sizeBytes: Scalars['Int']['output'];
  /** Short-lived signed download URL; only ever issued to a viewer allowed to see the dispute. */
  url: Scalars['String']['output'];
};

/** Where and how the client sends the file's bytes, straight to the object store, before it names evidenceId in createDispute. method "PUT": the body is the file, with these headers. method "POST": a multipart/form-data body holding formFields in order, then the file as the field named "file". */
export type EvidenceUpload = {
  __typename?: 'EvidenceUpload';
  /** Name this in createDispute.evidenceIds once the upload is done. */
  evidenceId: Scalars['ID']['output'];
  /** The upload must start before this instant (at most 15 minutes away). */
  expiresAt: Scalars['DateTime']['output'];
  /** For POST: form fields to send, in order, before the file. */
  formFields: Array<KeyValue>;
  /** Headers to send with the upload. */
  headers: Array<KeyValue>;
  /** "POST" or "PUT". */
  method: Scalars['String']['output'];
  /** Signed URL of the object store. */
  uploadUrl: Scalars['String']['output'];
};

/** How a call ended. */
export type Hangup = {
  __typename?: 'Hangup';
  /** Who hung up. */
  by: HangupSide;
  /** The carrier's or platform's cause, when known. */
  cause?: Maybe<Scalars['String']['output']>;
};

/** Who ended the call. */
export type HangupSide =
  /** The person who called. */
  | 'CALLER'
  /** The platform (timeout, routing failure, ...). */
  | 'SYSTEM'
  /** The buyer's side that answered. */
  | 'TARGET';

/** A name and a value, e.g. an HTTP header or a form field. */
export type KeyValue = {
  __typename?: 'KeyValue';
  /** The name, sent exactly as given. */
  name: Scalars['String']['output'];
  /** The value, sent exactly as given. */
  value: Scalars['String']['output'];
};

/** An amount of money in a currency. */
export type Money = {
  __typename?: 'Money';
  /** The amount, e.g. "12.50". */
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 code, e.g. USD */
  currency: Scalars['String']['output'];
};

/** Changes. Each mutation writes all it does in one transaction, or nothing. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Disputes a call of the viewer's account (needs DISPUTE_CALLS). Allowed exactly where Call.disputability.allowed is true. */
  createDispute: Dispute;
  /** Starts an evidence upload: checks type and size and returns a signed upload (needs DISPUTE_CALLS). */
  createEvidenceUpload: EvidenceUpload;
  /** Marks the viewer's notifications read (the given ones, or all); returns how many changed. */
  markNotificationsRead: Scalars['Int']['output'];
  /** Decides a PENDING dispute (needs EDIT_DISPUTES). Final. */
  resolveDispute: Dispute;
  /** Bulk decisions: each item succeeds or fails on its own; one result per input, in input order. */
  resolveDisputes: Array<ResolveDisputeResult>;
};


/** Changes. Each mutation writes all it does in one transaction, or nothing. */
export type MutationCreateDisputeArgs = {
  input: CreateDisputeInput;
};


/** Changes. Each mutation writes all it does in one transaction, or nothing. */
export type MutationCreateEvidenceUploadArgs = {
  input: CreateEvidenceUploadInput;
};


/** Changes. Each mutation writes all it does in one transaction, or nothing. */
export type MutationMarkNotificationsReadArgs = {
  all?: InputMaybe<Scalars['Boolean']['input']>;
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
};


/** Changes. Each mutation writes all it does in one transaction, or nothing. */
export type MutationResolveDisputeArgs = {
  input: ResolveDisputeInput;
};


/** Changes. Each mutation writes all it does in one transaction, or nothing. */
export type MutationResolveDisputesArgs = {
  inputs: Array<ResolveDisputeInput>;
};

/** An in-app notification addressed to the viewer. */
export type Notification = {
  __typename?: 'Notification';
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The dispute the notification is about. */
  dispute: Dispute;
  /** The notification ID. */
  id: Scalars['ID']['output'];
  /** What it is about. */
  kind: NotificationKind;
  /** A sentence to show, e.g. "Acme Insurance disputed a call from +15551230001". */
  message: Scalars['String']['output'];
  /** When the viewer marked it read; null while unread. */
  readAt?: Maybe<Scalars['DateTime']['output']>;
};

/** A page of notifications. */
export type NotificationConnection = {
  __typename?: 'NotificationConnection';
  /** The items of this page with their cursors. */
  edges: Array<NotificationEdge>;
  /** The items of this page, without cursors. */
  nodes: Array<Notification>;
  /** Where this page stands in the whole list. */
  pageInfo: PageInfo;
  /** How many items the whole list holds under the same filter. */
  totalCount: Scalars['Int']['output'];
};

/** One notification in a page, with its cursor. */
export type NotificationEdge = {
  __typename?: 'NotificationEdge';
  /** Opaque position of this item; pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The notification. */
  node: Notification;
};

/** What a notification is about. */
export type NotificationKind =
  /** To managers: a buyer sent a dispute. */
  | 'DISPUTE_CREATED'
  /** To the buyer account's users: a manager decided a dispute. */
  | 'DISPUTE_RESOLVED';

/** Which way a list is sorted. */
export type OrderDirection =
  /** Smallest (or earliest) first. */
  | 'ASC'
  /** Largest (or latest) first. */
  | 'DESC';

/** Where a page stands in its list (Relay cursor connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item; pass it as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when more items follow this page (ask again with `after: endCursor`). */
  hasNextPage: Scalars['Boolean']['output'];
  /** True when this page was asked for with `after`: items come before it. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first item; null on an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** What a user may do beyond reading its own Call Log. */
export type Permission =
  /** Buyer users: may dispute calls and open the Disputes page. */
  | 'DISPUTE_CALLS'
  /** Managers: may accept, partially accept or reject. Requires VIEW_DISPUTES. */
  | 'EDIT_DISPUTES'
  /** Managers: may open Manage Disputes and read every dispute. */
  | 'VIEW_DISPUTES';

/** Reads. Every field needs `Authorization: Bearer <token>`. */
export type Query = {
  __typename?: 'Query';
  /** One call, or null when it does not exist or is not the viewer's to see. */
  call?: Maybe<Call>;
  /** The Call Log: a buyer's own calls; every call for a manager. Newest first. */
  calls: CallConnection;
  /** One dispute, or null when it does not exist or is not the viewer's to see. */
  dispute?: Maybe<Dispute>;
  /** Buyers: their account's disputes (needs DISPUTE_CALLS). Managers: every dispute (needs VIEW_DISPUTES). */
  disputes: DisputeConnection;
  /** The viewer's notifications, newest first. */
  notifications: NotificationConnection;
  /** The signed-in user: who they are, what they may do, their badges. */
  viewer: Viewer;
};


/** Reads. Every field needs `Authorization: Bearer <token>`. */
export type QueryCallArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field needs `Authorization: Bearer <token>`. */
export type QueryCallsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<CallFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads. Every field needs `Authorization: Bearer <token>`. */
export type QueryDisputeArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Every field needs `Authorization: Bearer <token>`. */
export type QueryDisputesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DisputeFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<DisputeOrder>;
  search?: InputMaybe<Scalars['String']['input']>;
};


/** Reads. Every field needs `Authorization: Bearer <token>`. */
export type QueryNotificationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  unreadOnly?: InputMaybe<Scalars['Boolean']['input']>;
};

/** The audio recording of a call. */
export type Recording = {
  __typename?: 'Recording';
  /** MIME type of the audio, e.g. audio/mpeg. */
  contentType: Scalars['String']['output'];
  /** Length in seconds, when known. */
  durationSeconds?: Maybe<Scalars['Int']['output']>;
  /** Short-lived signed URL; only ever issued to a viewer allowed to see the call. */
  url: Scalars['String']['output'];
};

/** Why one item of a bulk decision failed. */
export type ResolveDisputeError = {
  __typename?: 'ResolveDisputeError';
  /** A contract error code, e.g. DISPUTE_ALREADY_RESOLVED. */
  code: Scalars['String']['output'];
  /** What went wrong, for people. */
  message: Scalars['String']['output'];
};

/** A manager's decision on one PENDING dispute. */
export type ResolveDisputeInput = {
  /** Required for ACCEPTED_PARTIAL, where 0 < amount < the call's payout; must be absent otherwise. */
  adjustmentAmount?: InputMaybe<Scalars['Decimal']['input']>;
  /** Shown to the buyer; at most 2,000 characters. */
  comment?: InputMaybe<Scalars['String']['input']>;
  /** The dispute to decide. */
  disputeId: Scalars['ID']['input'];
  /** ACCEPTED, ACCEPTED_PARTIAL or REJECTED. */
  outcome: DisputeStatus;
};

/** The outcome of one item of resolveDisputes: the dispute, or an error. */
export type ResolveDisputeResult = {
  __typename?: 'ResolveDisputeResult';
  /** The decided dispute; null when the item failed. */
  dispute?: Maybe<Dispute>;
  /** The disputeId of the input item. */
  disputeId: Scalars['ID']['output'];
  /** Why the item failed; null when it succeeded. */
  error?: Maybe<ResolveDisputeError>;
};

/** What kind of user this is. */
export type Role =
  /** A user of a buyer account: sees its own Call Log and disputes. */
  | 'BUYER'
  /** A platform manager: reviews disputes of every buyer. */
  | 'MANAGER';

/** Live updates over graphql-ws at ws://HOST/graphql; send `authorization: "Bearer <token>"` in connectionParams. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Each dispute the viewer may see, when it is created or resolved. */
  disputeChanged: Dispute;
  /** Each notification addressed to the viewer, as it is created. */
  notificationAdded: Notification;
  /** The viewer's pendingDisputesCount: the current value at once on subscribe, then every change. */
  pendingDisputesCount: Scalars['Int']['output'];
};

/** A person using the platform, as others see them. */
export type User = {
  __typename?: 'User';
  /** The user ID. */
  id: Scalars['ID']['output'];
  /** Display name. */
  name: Scalars['String']['output'];
};

/** The signed-in user, with what they may do and their badge counters. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The buyer account of a BUYER; null for a MANAGER. */
  account?: Maybe<Account>;
  /** The user ID (the `sub` of the token). */
  id: Scalars['ID']['output'];
  /** Display name. */
  name: Scalars['String']['output'];
  /** Buyer: pending disputes of the viewer's account. Manager: all pending disputes. 0 hides the badge. */
  pendingDisputesCount: Scalars['Int']['output'];
  /** What the viewer may do now, read from the database on every request. */
  permissions: Array<Permission>;
  /** BUYER or MANAGER. */
  role: Role;
  /** Notifications addressed to the viewer and not yet read. */
  unreadNotificationsCount: Scalars['Int']['output'];
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

/** What happened to a dispute. */
export type DisputeEventType =
  /** A buyer user sent the dispute. */
  | 'CREATED'
  /** A manager decided it. */
  | 'RESOLVED';

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
  /** PENDING, ACCEPTED, ACCEPTED_PARTIAL, REJECTED (ASC), newest dispute first within a status. The default. */
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

/** Where a dispute stands. Every status but PENDING is final. */
export type DisputeStatus =
  /** Accepted: the call's payout dropped to 0.00. */
  | 'ACCEPTED'
  /** Partly accepted: the call's payout dropped by the adjustment. */
  | 'ACCEPTED_PARTIAL'
  /** Waiting for a manager's decision. */
  | 'PENDING'
  /** Rejected: the payout is unchanged; the call may be disputed again inside its window. */
  | 'REJECTED';

/** Who ended the call. */
export type HangupSide =
  /** The person who called. */
  | 'CALLER'
  /** The platform (timeout, routing failure, ...). */
  | 'SYSTEM'
  /** The buyer's side that answered. */
  | 'TARGET';

/** What a notification is about. */
export type NotificationKind =
  /** To managers: a buyer sent a dispute. */
  | 'DISPUTE_CREATED'
  /** To the buyer account's users: a manager decided a dispute. */
  | 'DISPUTE_RESOLVED';

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

/** A manager's decision on one PENDING dispute. */
export type ResolveDisputeInput = {
  /** Required for ACCEPTED_PARTIAL, where 0 < amount < the call's payout; must be absent otherwise. */
  adjustmentAmount?: string | null | undefined;
  /** Shown to the buyer; at most 2,000 characters. */
  comment?: string | null | undefined;
  /** The dispute to decide. */
  disputeId: string | number;
  /** ACCEPTED, ACCEPTED_PARTIAL or REJECTED. */
  outcome: DisputeStatus;
};

/** What kind of user this is. */
export type Role =
  /** A user of a buyer account: sees its own Call Log and disputes. */
  | 'BUYER'
  /** A platform manager: reviews disputes of every buyer. */
  | 'MANAGER';

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, name: string, role: Role, permissions: Array<Permission>, pendingDisputesCount: number, unreadNotificationsCount: number, account: { id: string, name: string } | null } };

export type CallFieldsFragment = { id: string, startedAt: string, callerId: string, destination: string, durationSeconds: number, status: CallStatus, buyer: { id: string, name: string }, campaign: { id: string, name: string }, payout: { amount: string, currency: string }, originalPayout: { amount: string, currency: string }, hangup: { by: HangupSide, cause: string | null } | null, disputability: { allowed: boolean, blockedBy: DisputeBlock | null, windowEndsAt: string } };

export type CallsQueryVariables = Exact<{
  filter?: CallFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CallsQuery = { calls: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, startedAt: string, callerId: string, destination: string, durationSeconds: number, status: CallStatus, buyer: { id: string, name: string }, campaign: { id: string, name: string }, payout: { amount: string, currency: string }, originalPayout: { amount: string, currency: string }, hangup: { by: HangupSide, cause: string | null } | null, disputability: { allowed: boolean, blockedBy: DisputeBlock | null, windowEndsAt: string } } }>, nodes: Array<{ id: string }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type CallPageQueryVariables = Exact<{
  filter?: CallFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CallPageQuery = { calls: { nodes: Array<{ id: string, startedAt: string, disputability: { allowed: boolean, blockedBy: DisputeBlock | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CallQueryVariables = Exact<{
  id: string | number;
}>;


export type CallQuery = { call: { id: string, startedAt: string, callerId: string, destination: string, durationSeconds: number, status: CallStatus, disputes: Array<{ id: string, status: DisputeStatus }>, buyer: { id: string, name: string }, campaign: { id: string, name: string }, payout: { amount: string, currency: string }, originalPayout: { amount: string, currency: string }, hangup: { by: HangupSide, cause: string | null } | null, disputability: { allowed: boolean, blockedBy: DisputeBlock | null, windowEndsAt: string } } | null };

export type DisputeFieldsFragment = { id: string, status: DisputeStatus, reason: DisputeReason, additionalInfo: string | null, createdAt: string, call: { id: string, callerId: string, payout: { amount: string, currency: string }, originalPayout: { amount: string }, disputability: { allowed: boolean, blockedBy: DisputeBlock | null } }, buyer: { id: string, name: string }, createdBy: { id: string, name: string }, evidence: Array<{ id: string, fileName: string, contentType: string, sizeBytes: number, url: string }>, decision: { outcome: DisputeStatus, comment: string | null, decidedAt: string, adjustment: { amount: string, currency: string }, decidedBy: { id: string, name: string } } | null, history: Array<{ id: string, type: DisputeEventType, at: string, statusBefore: DisputeStatus | null, statusAfter: DisputeStatus, actor: { id: string }, payoutBefore: { amount: string }, payoutAfter: { amount: string } }> };

export type CreateDisputeMutationVariables = Exact<{
  input: CreateDisputeInput;
}>;


export type CreateDisputeMutation = { createDispute: { id: string, status: DisputeStatus, reason: DisputeReason, additionalInfo: string | null, createdAt: string, call: { id: string, callerId: string, payout: { amount: string, currency: string }, originalPayout: { amount: string }, disputability: { allowed: boolean, blockedBy: DisputeBlock | null } }, buyer: { id: string, name: string }, createdBy: { id: string, name: string }, evidence: Array<{ id: string, fileName: string, contentType: string, sizeBytes: number, url: string }>, decision: { outcome: DisputeStatus, comment: string | null, decidedAt: string, adjustment: { amount: string, currency: string }, decidedBy: { id: string, name: string } } | null, history: Array<{ id: string, type: DisputeEventType, at: string, statusBefore: DisputeStatus | null, statusAfter: DisputeStatus, actor: { id: string }, payoutBefore: { amount: string }, payoutAfter: { amount: string } }> } };

export type CreateDisputeIdMutationVariables = Exact<{
  input: CreateDisputeInput;
}>;


export type CreateDisputeIdMutation = { createDispute: { id: string, status: DisputeStatus } };

export type DisputeQueryVariables = Exact<{
  id: string | number;
}>;


export type DisputeQuery = { dispute: { id: string, status: DisputeStatus, reason: DisputeReason, additionalInfo: string | null, createdAt: string, call: { id: string, callerId: string, payout: { amount: string, currency: string }, originalPayout: { amount: string }, disputability: { allowed: boolean, blockedBy: DisputeBlock | null } }, buyer: { id: string, name: string }, createdBy: { id: string, name: string }, evidence: Array<{ id: string, fileName: string, contentType: string, sizeBytes: number, url: string }>, decision: { outcome: DisputeStatus, comment: string | null, decidedAt: string, adjustment: { amount: string, currency: string }, decidedBy: { id: string, name: string } } | null, history: Array<{ id: string, type: DisputeEventType, at: string, statusBefore: DisputeStatus | null, statusAfter: DisputeStatus, actor: { id: string }, payoutBefore: { amount: string }, payoutAfter: { amount: string } }> } | null };

export type DisputesQueryVariables = Exact<{
  filter?: DisputeFilter | null | undefined;
  search?: string | null | undefined;
  orderBy?: DisputeOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DisputesQuery = { disputes: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, status: DisputeStatus, createdAt: string, call: { id: string, startedAt: string, payout: { amount: string } }, buyer: { id: string, name: string } } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type DisputesPageQueryVariables = Exact<{
  filter?: DisputeFilter | null | undefined;
  search?: string | null | undefined;
  orderBy?: DisputeOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DisputesPageQuery = { disputes: { nodes: Array<{ id: string, status: DisputeStatus, createdAt: string, call: { id: string, startedAt: string, callerId: string, payout: { amount: string }, buyer: { id: string, name: string }, campaign: { id: string, name: string } }, buyer: { id: string, name: string }, createdBy: { id: string, name: string }, decision: { outcome: DisputeStatus, decidedBy: { id: string } } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type PendingCountQueryVariables = Exact<{ [key: string]: never; }>;


export type PendingCountQuery = { viewer: { pendingDisputesCount: number } };

export type ResolveDisputeMutationVariables = Exact<{
  input: ResolveDisputeInput;
}>;


export type ResolveDisputeMutation = { resolveDispute: { id: string, status: DisputeStatus, reason: DisputeReason, additionalInfo: string | null, createdAt: string, call: { id: string, callerId: string, payout: { amount: string, currency: string }, originalPayout: { amount: string }, disputability: { allowed: boolean, blockedBy: DisputeBlock | null } }, buyer: { id: string, name: string }, createdBy: { id: string, name: string }, evidence: Array<{ id: string, fileName: string, contentType: string, sizeBytes: number, url: string }>, decision: { outcome: DisputeStatus, comment: string | null, decidedAt: string, adjustment: { amount: string, currency: string }, decidedBy: { id: string, name: string } } | null, history: Array<{ id: string, type: DisputeEventType, at: string, statusBefore: DisputeStatus | null, statusAfter: DisputeStatus, actor: { id: string }, payoutBefore: { amount: string }, payoutAfter: { amount: string } }> } };

export type ResolveDisputesMutationVariables = Exact<{
  inputs: Array<ResolveDisputeInput> | ResolveDisputeInput;
}>;


export type ResolveDisputesMutation = { resolveDisputes: Array<{ disputeId: string, dispute: { id: string, status: DisputeStatus, decision: { outcome: DisputeStatus, adjustment: { amount: string } } | null } | null, error: { code: string, message: string } | null }> };

export type NotificationFieldsFragment = { id: string, kind: NotificationKind, createdAt: string, readAt: string | null, message: string, dispute: { id: string, status: DisputeStatus, buyer: { id: string }, call: { id: string, callerId: string } } };

export type NotificationsQueryVariables = Exact<{
  unreadOnly?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type NotificationsQuery = { notifications: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, kind: NotificationKind, createdAt: string, readAt: string | null, message: string, dispute: { id: string, status: DisputeStatus, buyer: { id: string }, call: { id: string, callerId: string } } } }>, nodes: Array<{ id: string }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type MarkNotificationsReadMutationVariables = Exact<{
  ids?: Array<string | number> | string | number | null | undefined;
  all?: boolean | null | undefined;
}>;


export type MarkNotificationsReadMutation = { markNotificationsRead: number };

export type UnreadNotificationsCountQueryVariables = Exact<{ [key: string]: never; }>;


export type UnreadNotificationsCountQuery = { viewer: { unreadNotificationsCount: number } };

export type PendingDisputesCountLiveSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type PendingDisputesCountLiveSubscription = { pendingDisputesCount: number };

export type NotificationAddedLiveSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type NotificationAddedLiveSubscription = { notificationAdded: { id: string, kind: NotificationKind, createdAt: string, readAt: string | null, message: string, dispute: { id: string, status: DisputeStatus, buyer: { id: string }, call: { id: string, callerId: string } } } };

export type DisputeChangedLiveSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DisputeChangedLiveSubscription = { disputeChanged: { id: string, status: DisputeStatus, buyer: { id: string }, call: { id: string, callerId: string, payout: { amount: string } }, decision: { outcome: DisputeStatus, adjustment: { amount: string } } | null } };

export const CallFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CallFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Call"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalPayout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"hangup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"by"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}},{"kind":"Field","name":{"kind":"Name","value":"windowEndsAt"}}]}}]}}]} as unknown as DocumentNode<CallFieldsFragment, unknown>;
export const DisputeFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DisputeFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dispute"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"additionalInfo"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalPayout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decision"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"adjustment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"statusBefore"}},{"kind":"Field","name":{"kind":"Name","value":"statusAfter"}},{"kind":"Field","name":{"kind":"Name","value":"payoutBefore"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payoutAfter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]} as unknown as DocumentNode<DisputeFieldsFragment, unknown>;
export const NotificationFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"NotificationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"dispute"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}}]}}]}}]}}]} as unknown as DocumentNode<NotificationFieldsFragment, unknown>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"permissions"}},{"kind":"Field","name":{"kind":"Name","value":"pendingDisputesCount"}},{"kind":"Field","name":{"kind":"Name","value":"unreadNotificationsCount"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const CallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Calls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CallFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"calls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CallFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CallFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Call"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalPayout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"hangup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"by"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}},{"kind":"Field","name":{"kind":"Name","value":"windowEndsAt"}}]}}]}}]} as unknown as DocumentNode<CallsQuery, CallsQueryVariables>;
export const CallPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CallFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"calls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<CallPageQuery, CallPageQueryVariables>;
export const CallDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Call"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"call"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CallFields"}},{"kind":"Field","name":{"kind":"Name","value":"disputes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CallFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Call"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalPayout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"hangup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"by"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}},{"kind":"Field","name":{"kind":"Name","value":"windowEndsAt"}}]}}]}}]} as unknown as DocumentNode<CallQuery, CallQueryVariables>;
export const CreateDisputeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateDispute"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateDisputeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createDispute"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DisputeFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DisputeFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dispute"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"additionalInfo"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalPayout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decision"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"adjustment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"statusBefore"}},{"kind":"Field","name":{"kind":"Name","value":"statusAfter"}},{"kind":"Field","name":{"kind":"Name","value":"payoutBefore"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payoutAfter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]} as unknown as DocumentNode<CreateDisputeMutation, CreateDisputeMutationVariables>;
export const CreateDisputeIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateDisputeId"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateDisputeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createDispute"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<CreateDisputeIdMutation, CreateDisputeIdMutationVariables>;
export const DisputeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Dispute"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dispute"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DisputeFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DisputeFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dispute"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"additionalInfo"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalPayout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decision"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"adjustment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"statusBefore"}},{"kind":"Field","name":{"kind":"Name","value":"statusAfter"}},{"kind":"Field","name":{"kind":"Name","value":"payoutBefore"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payoutAfter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]} as unknown as DocumentNode<DisputeQuery, DisputeQueryVariables>;
export const DisputesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Disputes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DisputeFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DisputeOrder"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disputes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}}]} as unknown as DocumentNode<DisputesQuery, DisputesQueryVariables>;
export const DisputesPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DisputesPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DisputeFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DisputeOrder"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disputes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decision"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<DisputesPageQuery, DisputesPageQueryVariables>;
export const PendingCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PendingCount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pendingDisputesCount"}}]}}]}}]} as unknown as DocumentNode<PendingCountQuery, PendingCountQueryVariables>;
export const ResolveDisputeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResolveDispute"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResolveDisputeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resolveDispute"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DisputeFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DisputeFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dispute"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"additionalInfo"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"originalPayout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disputability"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"blockedBy"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decision"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"adjustment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}}]}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"decidedAt"}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"statusBefore"}},{"kind":"Field","name":{"kind":"Name","value":"statusAfter"}},{"kind":"Field","name":{"kind":"Name","value":"payoutBefore"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"payoutAfter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]} as unknown as DocumentNode<ResolveDisputeMutation, ResolveDisputeMutationVariables>;
export const ResolveDisputesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResolveDisputes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"inputs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResolveDisputeInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resolveDisputes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"inputs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"inputs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disputeId"}},{"kind":"Field","name":{"kind":"Name","value":"dispute"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"decision"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"adjustment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ResolveDisputesMutation, ResolveDisputesMutationVariables>;
export const NotificationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Notifications"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"unreadOnly"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notifications"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"unreadOnly"},"value":{"kind":"Variable","name":{"kind":"Name","value":"unreadOnly"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"NotificationFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"NotificationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"dispute"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}}]}}]}}]}}]} as unknown as DocumentNode<NotificationsQuery, NotificationsQueryVariables>;
export const MarkNotificationsReadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkNotificationsRead"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"all"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"markNotificationsRead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}},{"kind":"Argument","name":{"kind":"Name","value":"all"},"value":{"kind":"Variable","name":{"kind":"Name","value":"all"}}}]}]}}]} as unknown as DocumentNode<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const UnreadNotificationsCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnreadNotificationsCount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unreadNotificationsCount"}}]}}]}}]} as unknown as DocumentNode<UnreadNotificationsCountQuery, UnreadNotificationsCountQueryVariables>;
export const PendingDisputesCountLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PendingDisputesCountLive"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pendingDisputesCount"}}]}}]} as unknown as DocumentNode<PendingDisputesCountLiveSubscription, PendingDisputesCountLiveSubscriptionVariables>;
export const NotificationAddedLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"NotificationAddedLive"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"notificationAdded"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"NotificationFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"NotificationFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Notification"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"readAt"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"dispute"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}}]}}]}}]}}]} as unknown as DocumentNode<NotificationAddedLiveSubscription, NotificationAddedLiveSubscriptionVariables>;
export const DisputeChangedLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DisputeChangedLive"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disputeChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"buyer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"call"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"callerId"}},{"kind":"Field","name":{"kind":"Name","value":"payout"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"decision"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"adjustment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DisputeChangedLiveSubscription, DisputeChangedLiveSubscriptionVariables>;