import { offerForListing, otherPublisher, parseListingUrl, publishersOf, type ListingUrlProblem } from '../../domain/listingUrl';
import { DEMO_OFFERS } from '../../store/demo/demoData';

describe('listing URLs', () => {
  test.each<[string, string, Record<string, string | undefined>]>([
    [
      'an AppSource web app, query and fragment dropped',
      'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect?tab=Overview#reviews',
      {
        url: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
        storefront: 'appSource',
        publisherId: 'contoso',
        offerId: 'crm-connect',
      },
    ],
    [
      'an AppSource Dynamics 365 app',
      'https://appsource.microsoft.com/en-us/product/dynamics-365/kaispellc.kspprapp?tab=PlansAndPrice',
      { publisherId: 'kaispellc', offerId: 'kspprapp' },
    ],
    [
      'an Azure Marketplace app with another locale',
      'https://azuremarketplace.microsoft.com/ko-kr/marketplace/apps/thehdfgroup1616725197741.hsdsazurevm?tab=Overview',
      { storefront: 'azureMarketplace', publisherId: 'thehdfgroup1616725197741', offerId: 'hsdsazurevm' },
    ],
    [
      'an Azure Marketplace app with capitals and underscores',
      'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/nvidia.ngc_azure_17_11?tab=overview',
      { publisherId: 'nvidia', offerId: 'ngc_azure_17_11' },
    ],
    [
      'a consulting service without a locale',
      'https://azuremarketplace.microsoft.com/marketplace/consulting-services/lab3solutions.drmigrate-standard-cons-deployment',
      { publisherId: 'lab3solutions', offerId: 'drmigrate-standard-cons-deployment' },
    ],
    [
      'an AppSource consulting service',
      'https://appsource.microsoft.com/en-mt/marketplace/consulting-services/ctp.copilotdeploymentandadoption',
      { publisherId: 'ctp', offerId: 'copilotdeploymentandadoption' },
    ],
    [
      'an Office add-in by store id',
      'https://appsource.microsoft.com/en-us/product/office/wa200000011?tab=overview',
      { storeId: 'WA200000011', publisherId: undefined },
    ],
    [
      'a Power BI visual by store id',
      'https://appsource.microsoft.com/en-us/product/power-bi-visuals/WA104381803',
      { storeId: 'WA104381803' },
    ],
    [
      'a Business Central app',
      'https://appsource.microsoft.com/en-us/product/dynamics-365-business-central/TYPE.connect%7CPUBID.dsss%7CAID.ds365-purchase-requisition-app%7CPAPPID.52f69529-78d0-4709',
      { publisherId: 'dsss', offerId: 'ds365-purchase-requisition-app' },
    ],
    [
      'a SaaS offer on the unified marketplace',
      'https://marketplace.microsoft.com/en-us/product/saas/clickhouse.clickhouse_cloud?tab=overview',
      { storefront: undefined, publisherId: 'clickhouse', offerId: 'clickhouse_cloud' },
    ],
    [
      'a unified marketplace listing without a category',
      'https://marketplace.microsoft.com/en-us/product/nerdio.nmm',
      { publisherId: 'nerdio', offerId: 'nmm' },
    ],
    [
      'spaces around and a trailing slash',
      '  https://APPSOURCE.microsoft.com/en-us/product/web-apps/Contoso.CRM-Connect/  ',
      { url: 'https://appsource.microsoft.com/en-us/product/web-apps/Contoso.CRM-Connect' },
    ],
  ])('reads %s', (_label, input, expected) => {
    const parsed = parseListingUrl(input);
    expect(parsed.ok).toBe(true);
    if (parsed.ok)
      expect(parsed.listing).toMatchObject(Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)));
    if (parsed.ok)
      for (const [key, value] of Object.entries(expected))
        if (value === undefined) expect(parsed.listing).not.toHaveProperty(key);
  });

  test.each<[string, string, ListingUrlProblem]>([
    ['nothing', '   ', 'empty'],
    ['plain text', 'contoso crm connect', 'notAUrl'],
    ['http', 'http://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect', 'notHttps'],
    ['javascript:', 'javascript:alert(document.cookie)', 'notHttps'],
    ['data:', 'data:text/html,<script>alert(1)</script>', 'notHttps'],
    ['a file URL', 'file:///etc/passwd', 'notHttps'],
    ['a foreign host', 'https://example.com/en-us/product/web-apps/contoso.crm-connect', 'notMarketplaceHost'],
    ['a look-alike suffix', 'https://appsource.microsoft.com.evil.example/en-us/product/web-apps/a.b', 'notMarketplaceHost'],
    ['a look-alike prefix', 'https://evilappsource.microsoft.com/en-us/product/web-apps/a.b', 'notMarketplaceHost'],
    ['a homoglyph host', 'https://аppsource.microsoft.com/en-us/product/web-apps/a.b', 'notMarketplaceHost'],
    ['the host in the path', 'https://evil.example/appsource.microsoft.com/en-us/product/web-apps/a.b', 'notMarketplaceHost'],
    ['azure.microsoft.com', 'https://azure.microsoft.com/en-us/products/app-service', 'notMarketplaceHost'],
    ['credentials', 'https://user:pw@appsource.microsoft.com/en-us/product/web-apps/a.b', 'credentialsOrPort'],
    ['a port', 'https://appsource.microsoft.com:8443/en-us/product/web-apps/a.b', 'credentialsOrPort'],
    ['the storefront home page', 'https://appsource.microsoft.com/en-us/', 'notAListing'],
    ['a search page', 'https://marketplace.microsoft.com/en-us/marketplace/apps?search=tabular%20editor', 'notAListing'],
    ['a category page', 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/category/compute', 'notAListing'],
    ['a consulting search', 'https://marketplace.microsoft.com/en-us/marketplace/consulting-services?page=1', 'notAListing'],
    ['path traversal', 'https://appsource.microsoft.com/en-us/product/web-apps/../../../etc/passwd', 'notAListing'],
    ['an encoded slash in the id', 'https://appsource.microsoft.com/en-us/product/web-apps/contoso%2Fcrm.connect', 'notAListing'],
    ['broken percent-encoding', 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.%E0%A4%A', 'notAListing'],
    ['a script in the id', 'https://appsource.microsoft.com/en-us/product/web-apps/%3Cscript%3E.x', 'notAListing'],
    ['a very long address', `https://appsource.microsoft.com/en-us/product/web-apps/a.${'b'.repeat(3000)}`, 'tooLong'],
  ])('refuses %s', (_label, input, problem) => {
    expect(parseListingUrl(input)).toEqual({ ok: false, problem });
  });

  test.each([
    [
      'by publisher and offer id, whatever the case',
      'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/Contoso.Secure-Gateway',
      'contoso.secure-gateway',
    ],
    [
      'by store id against the known listing',
      'https://appsource.microsoft.com/ko-kr/product/office/wa200004567?tab=overview',
      'contoso.teams-approvals',
    ],
    [
      'on another storefront host',
      'https://marketplace.microsoft.com/en-us/product/saas/contoso.crm-connect',
      'contoso.crm-connect',
    ],
  ])('matches a known offer %s', (_label, url, offerId) => {
    const parsed = parseListingUrl(url);
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(offerForListing(parsed.listing, DEMO_OFFERS)?.id).toBe(offerId);
  });

  test('matches nothing for an offer the partner does not have', () => {
    const parsed = parseListingUrl('https://appsource.microsoft.com/en-us/product/web-apps/fabrikam.crm');
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(offerForListing(parsed.listing, DEMO_OFFERS)).toBeUndefined();
  });
});

describe("the partner's own publishers", () => {
  const listing = (url: string) => {
    const parsed = parseListingUrl(url);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.listing;
  };

  test('are the publisher ids of its offers, each once', () => {
    expect(publishersOf(DEMO_OFFERS)).toEqual(['contoso']);
    expect(publishersOf([])).toEqual([]);
  });

  test.each([
    ['its own publisher, in any case', 'https://appsource.microsoft.com/en-us/product/web-apps/CONTOSO.anything', undefined],
    ['a store id, which names no publisher', 'https://appsource.microsoft.com/en-us/product/office/wa200000001', undefined],
    [
      'another publisher',
      'https://appsource.microsoft.com/en-us/product/web-apps/someoneelse.otheroffer',
      { publisherId: 'someoneelse', publishers: ['contoso'] },
    ],
    [
      "another publisher's Business Central app",
      'https://appsource.microsoft.com/en-us/product/dynamics-365-business-central/PUBID.fabrikam%7CAID.app%7CPAPPID.x',
      { publisherId: 'fabrikam', publishers: ['contoso'] },
    ],
  ])('a listing of %s', (_label, url, expected) => {
    expect(otherPublisher(listing(url), DEMO_OFFERS)).toEqual(expected);
  });

  test('a partner with no offers known cannot be told another publisher from its own', () => {
    expect(otherPublisher(listing('https://appsource.microsoft.com/en-us/product/saas/fabrikam.crm'), [])).toBeUndefined();
  });
});
