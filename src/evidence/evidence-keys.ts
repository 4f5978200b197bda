import { randomUUID } from 'node:crypto';

/**
 * Where evidence bytes live in the store. Two kinds of key, so that what a client can write is
 * never what a manager downloads:
 * - the upload key, `evidence/<ownerId>/<evidenceId>`, which the client's signed upload names
 *   exactly (a POST policy's `eq $key` or a presigned PUT's path). The upload stays valid until
 *   it expires, on S3 and MinIO as on the embedded store, so its object can change at any time
 *   until then;
 * - a checked key, `evidence/checked/<evidenceId>/<attempt>`, written only by the server's
 *   copy in createDispute and served once bound. Owner IDs are UUIDs, so no upload key starts
 *   with `evidence/checked/`, and no signed upload is ever made for one.
 */

/** The object key a client's signed upload writes: chosen by the server, never from the client's name. */
export const evidenceKey = (ownerId: string, evidenceId: string) =>
  `evidence/${ownerId}/${evidenceId}`;

const CHECKED_PREFIX = 'evidence/checked/';

/** Every copy createDispute ever made of one file starts with this. */
export const checkedKeyPrefix = (evidenceId: string) => `${CHECKED_PREFIX}${evidenceId}/`;

/**
 * A fresh key for one createDispute's copy of a file. Fresh per attempt, so two disputes naming
 * the same file at once never write, check or remove each other's copy.
 */
export const newCheckedKey = (evidenceId: string) =>
  `${checkedKeyPrefix(evidenceId)}${randomUUID()}`;
