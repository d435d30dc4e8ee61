import type { PartnerRole } from './model';

/** Partner Center roles that may edit and publish offers, and so make migration decisions. */
export const CHANGING_ROLES: readonly PartnerRole[] = ['owner', 'manager', 'developer'];

export function mayChange(role: PartnerRole): boolean {
  return CHANGING_ROLES.includes(role);
}
