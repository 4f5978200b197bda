/**
 * The system user "Automatic review": the actor of decisions the platform makes by rule
 * (contract rule 15). A real users row, inserted by migration 1764310000000, so foreign keys
 * and `decidedBy` work as for any manager; it holds no permission (never a notification
 * recipient, never in a list of managers) and cannot sign in (auth/viewer.ts).
 */
export const AUTOMATIC_REVIEW_USER_ID = '00000000-0000-4000-8000-00000000a001';

/** DisputeDecision.automatic, in the API and in webhook payloads alike: decided by the system user. */
export const decidedAutomatically = (decision: { decidedById: string | null }): boolean =>
  decision.decidedById === AUTOMATIC_REVIEW_USER_ID;
