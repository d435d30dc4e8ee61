import { buttonsOf, findButton, textOf } from '../support/cards';
import { DialogHarness, onlyCardOf, textsOf } from '../support/dialogHarness';

const PENDING = 'OCP-1042173';
const AWAITING = 'OCP-1041950';
const DRAFT = 'OCP-1041990';
const OVERDUE = 'OCP-1041962';
const CRM_LISTING = 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect';
const TRICKY = "${if(true,'a','b')}";

type Json = Record<string, unknown>;

/** The prefilled value of each input of a form card. */
function inputsOf(card: unknown): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  JSON.stringify(card, (_key, value: unknown) => {
    const node = value as Json;
    if (
      node &&
      typeof node === 'object' &&
      typeof node.type === 'string' &&
      node.type.startsWith('Input.') &&
      typeof node.id === 'string'
    ) {
      inputs[node.id] = node.value;
    }
    return value;
  });
  return inputs;
}

describe('MergeDialog', () => {
  let harness: DialogHarness;
  beforeEach(() => {
    harness = new DialogHarness();
  });
  afterEach(() => {
    expect(harness.cardProblems).toEqual([]);
    harness.close();
  });

  const requests = (solutionId: string): Json[] =>
    harness.db
      .prepare(
        'SELECT id, offer_type, offer_name, ocp_solution_id, listing_url, requested_by_user_id, state FROM support_requests WHERE solution_id = ?',
      )
      .all(solutionId) as Json[];
  const statusOf = (solutionId: string): unknown =>
    (harness.db.prepare('SELECT status FROM solutions WHERE id = ?').get(solutionId) as Json).status;

  async function actionOne(userId = 'demo-manager', solutionId = PENDING): Promise<unknown> {
    return onlyCardOf((await harness.send(userId, { verb: 'chooseMerge', solutionId, origin: 'solution' }, 'flow-card')).updates);
  }

  test('Action 1 lists the live offers with type and storefront, and asks for a listing URL instead', async () => {
    const card = await actionOne();
    const text = textOf(card);
    expect(text).toMatch(/Action 1 of 2/);
    expect(text).toMatch(/Contoso CRM Connect\nSoftware as a Service \(SaaS\) · Microsoft AppSource/);
    expect(text).toMatch(/Contoso Secure Gateway\nAzure Application · Azure Marketplace/);
    expect(text).not.toContain('Contoso Field Service Companion');
    expect(buttonsOf(card).filter((button) => button.data.verb === 'selectOffer')).toHaveLength(6);
    expect(inputsOf(card)).toEqual({ listingUrl: '' });
    expect(findButton(card, 'useListingUrl', { solutionId: PENDING })).toBeDefined();
  });

  test('select a live offer: Action 2 comes prefilled; Save & Contact support makes one request', async () => {
    const action1 = await actionOne();
    const selected = await harness.send(
      'demo-manager',
      findButton(action1, 'selectOffer', { offerId: 'contoso.crm-connect' })!.data,
      'flow-card',
    );
    const form = onlyCardOf(selected.updates);
    expect(textOf(form)).toMatch(/Action 2 of 2/);
    expect(inputsOf(form)).toEqual({
      offerType: 'saas',
      offerName: 'Contoso CRM Connect',
      ocpSolutionId: PENDING,
      listingUrl: CRM_LISTING,
    });

    const submit = findButton(form, 'submitMerge')!;
    const sent = await harness.send('demo-manager', { ...submit.data, ...inputsOf(form) }, 'flow-card');
    const done = onlyCardOf(sent.updates);
    const [request] = requests(PENDING);
    expect(request).toMatchObject({
      offer_type: 'saas',
      offer_name: 'Contoso CRM Connect',
      ocp_solution_id: PENDING,
      listing_url: CRM_LISTING,
      state: 'open',
    });
    expect(textOf(done)).toMatch(
      new RegExp(`Merge requested[\\s\\S]*Request ID ${String(request!.id)}[\\s\\S]*within two business days, by Nov 24, 2026`),
    );
    expect(textsOf(sent)).toEqual([
      `Merge requested for “Contoso Fleet Telematics”. Request ID: ${String(request!.id)}. Partner support will contact you within two business days, by Nov 24, 2026.`,
    ]);
    expect(JSON.stringify(done)).toContain('https://partner.microsoft.com/support');
    expect(statusOf(PENDING)).toBe('mergeRequested');
  });

  test('a second press of Save & Contact support makes no second request', async () => {
    const submit = {
      verb: 'submitMerge',
      solutionId: PENDING,
      offerType: 'saas',
      offerName: 'Contoso CRM Connect',
      ocpSolutionId: PENDING,
      listingUrl: CRM_LISTING,
    };
    await harness.send('demo-manager', submit);
    const again = await harness.send('demo-owner', { ...submit, offerName: 'Something else' });
    expect(textsOf(again).join(' ')).toMatch(
      /was already requested: request ID MR-\d{8}-\w{5}, by Jordan Park on Nov 21, 2026\. No second request was made\./,
    );
    expect(requests(PENDING)).toHaveLength(1);
  });

  test('a listing URL of a known offer fills in its type and name', async () => {
    const output = await harness.send(
      'demo-manager',
      { verb: 'useListingUrl', solutionId: PENDING, listingUrl: `${CRM_LISTING}?tab=Overview`, origin: 'solution' },
      'flow-card',
    );
    expect(inputsOf(onlyCardOf(output.updates))).toEqual({
      offerType: 'saas',
      offerName: 'Contoso CRM Connect',
      ocpSolutionId: PENDING,
      listingUrl: CRM_LISTING,
    });
  });

  test.each([
    [
      'http://',
      'http://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
      'The listing URL must start with https://.',
    ],
    ['javascript:', 'javascript:alert(1)', 'The listing URL must start with https://.'],
    [
      'a foreign host',
      'https://appsource.example.com/en-us/product/web-apps/contoso.crm-connect',
      'The listing must be on appsource.microsoft.com, azuremarketplace.microsoft.com or marketplace.microsoft.com.',
    ],
    [
      'a search page',
      'https://azuremarketplace.microsoft.com/en-us/marketplace/apps?search=contoso',
      "That address is not an offer's listing page. Open the offer on the storefront and copy the address of its page.",
    ],
  ])('a listing URL on %s is refused with the reason and asked again, keeping what was typed', async (_label, url, reason) => {
    const output = await harness.send(
      'demo-manager',
      { verb: 'useListingUrl', solutionId: PENDING, listingUrl: url, origin: 'solution' },
      'flow-card',
    );
    const card = onlyCardOf(output.updates);
    expect(textOf(card)).toContain(reason);
    expect(inputsOf(card)).toEqual({ listingUrl: url });
    expect(textsOf(output)).toEqual([reason]);
    expect(statusOf(PENDING)).toBe('pendingAction');

    const typed = await harness.send('demo-manager', `${CRM_LISTING}?tab=Overview`);
    expect(inputsOf(onlyCardOf(typed.updates))).toMatchObject({ offerName: 'Contoso CRM Connect' });
  });

  test('an empty offer name is asked again with the reason; the other fields are kept and the request goes', async () => {
    const submit = {
      verb: 'submitMerge',
      solutionId: PENDING,
      origin: 'solution',
      offerType: 'iotEdgeModule',
      offerName: '   ',
      ocpSolutionId: PENDING,
      listingUrl: CRM_LISTING,
    };
    const output = await harness.send('demo-developer', submit, 'flow-card');
    expect(textsOf(output)).toEqual(["The offer name is empty. What is the offer's name, as in Partner Center?"]);
    const form = onlyCardOf(output.updates);
    expect(textOf(form)).toContain('The offer name is empty.');
    expect(inputsOf(form)).toMatchObject({ offerType: 'iotEdgeModule', ocpSolutionId: PENDING });
    expect(requests(PENDING)).toEqual([]);

    const named = await harness.send('demo-developer', '  Contoso Edge Vision Module ');
    expect(textsOf(named).join(' ')).toMatch(/Merge requested for “Contoso Fleet Telematics”/);
    expect(requests(PENDING)).toEqual([
      expect.objectContaining({
        offer_type: 'iotEdgeModule',
        offer_name: 'Contoso Edge Vision Module',
        requested_by_user_id: 'demo-developer',
      }),
    ]);
  });

  test('typed answers, one field at a time, for an offer the bot does not know', async () => {
    harness.literals = [TRICKY];
    const unknownListing = 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.new-thing';
    const askType = await harness.send('demo-manager', {
      verb: 'useListingUrl',
      solutionId: PENDING,
      listingUrl: unknownListing,
    });
    expect(textsOf(askType)[0]).toMatch(/^Which type is the offer\? Reply with its number or name:\n1\. Azure Application\n/);
    expect(textsOf(await harness.send('demo-manager', 'Power BI visual'))).toEqual([
      "What is the offer's name, as in Partner Center?",
    ]);
    expect(textsOf(await harness.send('demo-manager', 'x'.repeat(201)))).toEqual([
      "The offer name is longer than 200 characters. What is the offer's name, as in Partner Center?",
    ]);
    const review = await harness.send('demo-manager', TRICKY);
    expect(inputsOf(onlyCardOf(review.replies))).toEqual({
      offerType: 'powerBiVisual',
      offerName: TRICKY,
      ocpSolutionId: PENDING,
      listingUrl: unknownListing,
    });
    expect(textsOf(await harness.send('demo-manager', 'maybe later'))).toEqual([
      'Select Save & Contact support on the card, or type submit. Type cancel to stop.',
    ]);
    const sent = await harness.send('demo-manager', 'submit');
    expect(textOf(onlyCardOf(sent.updates))).toContain(TRICKY);
    expect(requests(PENDING)).toEqual([
      expect.objectContaining({ offer_type: 'powerBiVisual', offer_name: TRICKY, listing_url: unknownListing }),
    ]);
  });

  test.each([
    ['a number', '13', 'saas'],
    ['a name in any case', 'software as a service', 'saas'],
    ['a name without its brackets', 'Microsoft 365', 'microsoft365'],
  ])('an offer type typed as %s', async (_label, typed, type) => {
    await harness.send('demo-manager', {
      verb: 'submitMerge',
      solutionId: PENDING,
      offerType: 'nonsense',
      offerName: 'N',
      ocpSolutionId: PENDING,
      listingUrl: CRM_LISTING,
    });
    await harness.send('demo-manager', typed);
    expect(requests(PENDING)).toEqual([expect.objectContaining({ offer_type: type })]);
  });

  test("another solution's OCP ID is refused", async () => {
    const output = await harness.send('demo-manager', {
      verb: 'submitMerge',
      solutionId: PENDING,
      offerType: 'saas',
      offerName: 'N',
      ocpSolutionId: 'OCP-1042188',
      listingUrl: CRM_LISTING,
    });
    expect(textsOf(output)[0]).toBe(
      'That is not the OCP solution ID of this solution (OCP-1042173). What is the OCP solution ID? For this solution it is OCP-1042173.',
    );
  });

  test('typing "merge" on the options card goes to Action 1', async () => {
    await harness.send('demo-manager', { verb: 'beginMigration', solutionId: PENDING });
    const output = await harness.send('demo-manager', 'merge');
    expect(textOf(onlyCardOf([...output.updates, ...output.replies]))).toMatch(/Action 1 of 2/);
  });

  test.each(['demo-marketer', 'demo-finance'])('%s cannot start a merge', async (userId) => {
    const output = await harness.send(userId, { verb: 'chooseMerge', solutionId: PENDING });
    expect(textsOf(output).join(' ')).toMatch(/can view solutions but not change them/);
  });

  test('an offer that is not live cannot be selected', async () => {
    const output = await harness.send('demo-manager', {
      verb: 'selectOffer',
      solutionId: PENDING,
      offerId: 'contoso.field-service-companion',
    });
    expect(textsOf(output)).toEqual([
      '“Contoso Field Service Companion” is not live yet, so nothing can be merged into it. Select a live offer, or publish this one first.',
    ]);
  });
});

describe('no similar offer yet, and legacy drafts', () => {
  let harness: DialogHarness;
  beforeEach(() => {
    harness = new DialogHarness();
  });
  afterEach(() => {
    expect(harness.cardProblems).toEqual([]);
    harness.close();
  });

  test('the solution waits for a new offer, and the user gets every publishing step', async () => {
    const output = await harness.send(
      'demo-manager',
      { verb: 'chooseNoSimilarOffer', solutionId: PENDING, origin: 'solution' },
      'options-card',
    );
    const card = onlyCardOf(output.updates);
    const text = textOf(card);
    for (const step of [
      '+ New offer',
      'each tab',
      'Co-sell with Microsoft tab empty',
      'Save draft',
      'Review and publish',
      'Publish',
      'Overview tab',
      'actionable feedback',
      'Go live',
      'Merge into a live offer',
    ]) {
      expect(text).toContain(step);
    }
    expect(findButton(card, 'chooseMerge', { solutionId: PENDING })).toBeDefined();
    expect(textsOf(output)).toEqual([
      '“Contoso Fleet Telematics” now waits for a new offer. The steps are on the card; once the offer is live, merge the solution into it.',
    ]);
    expect(harness.db.prepare('SELECT status FROM solutions WHERE id = ?').get(PENDING)).toEqual({ status: 'awaitingNewOffer' });
  });

  test('in the list, a solution awaiting a new offer opens on its card, with the merge and the steps again', async () => {
    const list = onlyCardOf((await harness.send('demo-manager', { verb: 'listSolutions', page: 2 })).replies);
    const open = findButton(list, 'showSolution', { solutionId: AWAITING });
    expect(open).toBeDefined();
    const card = onlyCardOf((await harness.send('demo-manager', open!.data)).replies);
    expect(findButton(card, 'chooseMerge', { solutionId: AWAITING })).toBeDefined();
    expect(findButton(card, 'publishingSteps', { solutionId: AWAITING })).toBeDefined();
  });

  test('a draft from the old migrate option says it must be published, with the steps', async () => {
    const list = onlyCardOf((await harness.send('demo-manager', { verb: 'listSolutions', page: 2 })).replies);
    expect(textOf(list)).toContain(
      'Moved to Partner Center as a draft offer before 17 May 2021; publish that draft to keep co-selling.',
    );
    const card = onlyCardOf(
      (await harness.send('demo-manager', findButton(list, 'showSolution', { solutionId: DRAFT })!.data)).replies,
    );
    const steps = onlyCardOf(
      (await harness.send('demo-manager', findButton(card, 'publishingSteps', { solutionId: DRAFT })!.data)).replies,
    );
    expect(textOf(steps)).toMatch(/Publish the draft offer[\s\S]*select the draft offer's name[\s\S]*Go live/);
    expect(findButton(steps, 'chooseMerge')).toBeUndefined();
  });

  test('a request past its due date shows as overdue in the list, and its card has Get Help', async () => {
    const list = onlyCardOf((await harness.send('demo-marketer', { verb: 'listSolutions', page: 2 })).replies);
    expect(textOf(list)).toMatch(
      /!\nContoso Analytics Hub Classic\nID OCP-1041962\nRequest MR-DEMO-00001\nOverdue: partner support should have answered by Nov 17, 2026\. Use Get Help to follow up\./,
    );
    const card = onlyCardOf(
      (await harness.send('demo-marketer', findButton(list, 'showSolution', { solutionId: OVERDUE })!.data)).replies,
    );
    expect(textOf(card)).toContain('Merge requested · Overdue');
    expect(findButton(card, 'help')).toBeDefined();
    expect(OVERDUE).toBe('OCP-1041962');
  });
});
