import { checkMergeDetails, checkMergeField, type MergeField } from '../../domain/mergeDetails';
import { OFFER_TYPES } from '../../domain/model';

const SOLUTION = 'OCP-1042173';
const VALID = {
  offerType: 'saas',
  offerName: 'Contoso CRM Connect',
  ocpSolutionId: SOLUTION,
  listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect?tab=Overview',
};

describe('issue details for partner support', () => {
  test('the thirteen commercial marketplace offer types', () => {
    expect(OFFER_TYPES).toHaveLength(13);
    for (const type of OFFER_TYPES) expect(checkMergeField('offerType', type, SOLUTION)).toEqual({ ok: true, value: type });
  });

  test.each<[MergeField, unknown, string | { value: string }]>([
    ['offerType', undefined, 'missing'],
    ['offerType', 'Software', 'unknown'],
    ['offerType', 'SAAS', 'unknown'],
    ['offerName', '', 'missing'],
    ['offerName', '   \t ', 'missing'],
    ['offerName', '  Contoso CRM  ', { value: 'Contoso CRM' }],
    ['offerName', 'x'.repeat(200), { value: 'x'.repeat(200) }],
    ['offerName', 'x'.repeat(201), 'tooLong'],
    ['offerName', '🚀'.repeat(200), { value: '🚀'.repeat(200) }],
    ['offerName', "${if(true,'a','b')}", { value: "${if(true,'a','b')}" }],
    ['offerName', 42, 'missing'],
    ['ocpSolutionId', 'OCP-1042188', 'notThisSolution'],
    ['ocpSolutionId', ' ocp-1042173 ', { value: SOLUTION }],
    ['ocpSolutionId', '', 'missing'],
    ['listingUrl', 'http://appsource.microsoft.com/en-us/product/web-apps/a.b', 'notHttps'],
    ['listingUrl', 'https://example.com/x', 'notMarketplaceHost'],
    ['listingUrl', VALID.listingUrl, { value: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect' }],
  ])('%s %j', (field, input, expected) => {
    const check = checkMergeField(field, input, SOLUTION);
    expect(check).toEqual(typeof expected === 'string' ? { ok: false, reason: expected } : { ok: true, value: expected.value });
  });

  test('valid fields are kept when others are not', () => {
    const check = checkMergeDetails({ ...VALID, offerName: ' ', listingUrl: 'javascript:alert(1)' }, SOLUTION);
    expect(check).toEqual({
      ok: false,
      valid: { offerType: 'saas', ocpSolutionId: SOLUTION },
      problems: [
        { field: 'offerName', reason: 'missing' },
        { field: 'listingUrl', reason: 'notHttps' },
      ],
    });
  });

  test('all four valid give the details to send', () => {
    expect(checkMergeDetails(VALID, SOLUTION)).toEqual({
      ok: true,
      details: { ...VALID, listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect' },
    });
  });
});
