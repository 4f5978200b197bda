/** The lists behind the Role and Permission enums, the users table and the fixture parser. */
export const ROLES = ['BUYER', 'MANAGER'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['DISPUTE_CALLS', 'VIEW_DISPUTES', 'EDIT_DISPUTES'] as const;
export type Permission = (typeof PERMISSIONS)[number];
