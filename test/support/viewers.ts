import type { Viewer } from '../../cards/viewer';
import type { Actor, PartnerRole } from '../../domain/model';
import { EN_US_CATALOG, Translator } from '../../locales/i18n';

/** Dana, with a role at Contoso, reading cards in English unless told otherwise. */
export function viewerFor(
  role: PartnerRole,
  account: Partial<Actor['account']> = {},
  t: Translator = new Translator('en-US', EN_US_CATALOG, 'UTC'),
): Viewer {
  return {
    actor: {
      member: { userId: 'u', partnerAccountId: 'p', displayName: 'Dana', role },
      account: {
        id: 'p',
        name: 'Contoso',
        partnerIds: ['1'],
        cloudPartnerProgramActive: true,
        marketplaceEnrolled: true,
        tenantIds: [],
        ...account,
      },
    },
    t,
  };
}
