import { selectedColumns } from '../platform/columns';
import { NOTIFICATION_COLUMNS } from './notification.entity';

/*
 * The SQL of the notifications feature, one statement a constant or a function of the fragments
 * it is built from.
 */

/** A message that opens with the buyer account's name ($6), then the rest of it ($3). */
export const ACCOUNT_NAME_THEN_MESSAGE = `(SELECT na.name FROM accounts na WHERE na.id = $6) || $3`;

/**
 * One notification per user `recipients` names (over `u`, users), in one statement; `text` is
 * the message's SQL ($3, or ACCOUNT_NAME_THEN_MESSAGE).
 */
export const insertNotificationsSql = (text: string, recipients: string) =>
  `INSERT INTO notifications (id, user_id, kind, dispute_id, message, comment_id, event_id)
     SELECT gen_random_uuid(), u.id, $1, $2, ${text}, $4, $5 FROM users u WHERE ${recipients}`;

/** The select of the viewer's notifications, to which the keyset page adds its conditions. */
export const SELECT_NOTIFICATIONS = `SELECT ${selectedColumns('n', NOTIFICATION_COLUMNS).join(', ')} FROM notifications n`;

/**
 * The pending disputes of many audiences in one statement, one `COUNT` per condition (over `d`,
 * disputes) joined by UNION ALL; each row's `i` is its condition's index.
 */
export const pendingCountsSql = (conditions: readonly string[]) =>
  conditions
    .map(
      (condition, i) =>
        `SELECT ${i} AS i, COUNT(*)::int AS n FROM disputes d
              WHERE ${condition}`,
    )
    .join(' UNION ALL ');

/** Sends a live event ($2) on the live channel ($1), delivered at commit, dropped on rollback. */
export const NOTIFY_LIVE = 'pg_notify($1, $2)';
