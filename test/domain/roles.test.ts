import { PARTNER_ROLES, type PartnerRole } from '../../domain/model';
import { mayChange } from '../../domain/roles';

const EXPECTED: Record<PartnerRole, boolean> = {
  owner: true,
  manager: true,
  developer: true,
  businessContributor: false,
  financialContributor: false,
  marketer: false,
};

describe('who may make migration decisions', () => {
  test.each(PARTNER_ROLES.map((role) => [role, EXPECTED[role]] as const))('%s may change: %s', (role, expected) => {
    expect(mayChange(role)).toBe(expected);
  });
});
