/** The lists behind the Role and Permission enums, the users table and the fixture parser. */
export const ROLES = ['BUYER', 'MANAGER'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['DISPUTE_CALLS', 'VIEW_DISPUTES', 'EDIT_DISPUTES'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The permissions each role can hold: the viewer keeps only these, the fixture refuses others. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  BUYER: ['DISPUTE_CALLS'],
  MANAGER: ['VIEW_DISPUTES', 'EDIT_DISPUTES'],
};
