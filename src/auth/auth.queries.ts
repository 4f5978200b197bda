import { USER_COLUMNS } from '../accounts/user.entity';
import { prepared } from '../platform/prepared-statements';

/*
 * The SQL of the auth feature, one statement a constant.
 */

/**
 * One user by ID ($1), as a viewer is made of: plain SQL sent as a named statement
 * (prepared-statements.ts), as it runs on every request.
 */
export const VIEWER = prepared(`SELECT ${USER_COLUMNS.join(', ')} FROM users WHERE id = $1`);

/** Many users by ID, the IDs as one array parameter ($1; a parameter per ID stops at 65,535). */
export const VIEWERS = `SELECT ${USER_COLUMNS.join(', ')} FROM users WHERE id = ANY($1::uuid[])`;
