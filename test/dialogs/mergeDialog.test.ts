import { buttonsOf, findButton, textOf, type CardButton } from '../support/cards';
import { DialogHarness, onlyCardOf, textsOf, type TurnOutput } from '../support/dialogHarness';

const PENDING = 'OCP-1042173';
const AWAITING = 'OCP-1041950';
const DRAFT = 'OCP-1041990';
const OVERDUE = 'OCP-1041962';
const CRM_LISTING = 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect';
const TRICKY = "${if(true,'a','b')}";

type Json = Record<string, unknown>;

/** The offers Action 1 offers to choose from, by the value each choice submits. */
function offerChoicesOf(card: unknown): Record<string, string> {
  const choices: Record<string, string> = {};
  JSON.stringify(card, (_key, value: unknown) => {
    const node = value as Json;
    if (node && typeof node === 'object' && node.type === 'Input.ChoiceSet' && node.id === 'offerId') {
      for (const choice of node.choices as { title: string; value: string }[]) choices[choice.value] = choice.title;
    }
    return value;
  });
  return choices;
}

/** The style of each button, by its verb. */
function stylesOf(card: unknown): string[] {
  const styles: string[] = [];
  JSON.stringify(card, (_key, value: unknown) => {
    const node = value as Json;
    if (node && typeof node === 'object' && node.type === 'Action.Submit' && typeof node.style === 'string')
      styles.push(node.style);
    return value;
  });
  return styles;
}

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

  /** A card the bot posted, with the id of its message. */
  interface Posted {
    readonly card: unknown;
    readonly id: string;
  }

  function posted(output: TurnOutput): Posted {
    const card = onlyCardOf(output.replies);
    const id = output.replies.find((reply) => reply.attachments?.length)?.id;
    if (!id) throw new Error('the card was posted without an id');
    return { card, id };
  }

  /** Presses a button on a card, with what the card's inputs hold. */
  function press(userId: string, button: CardButton | undefined, on: Posted, inputs: Json = {}): Promise<TurnOutput> {
    if (!button) throw new Error('no such button');
    return harness.send(userId, { ...button.data, ...inputs }, on.id);
  }

  /** Action 1 for a pending solution, posted below the pressed Merge button's options card. */
  async function actionOne(userId = 'demo-manager', solutionId = PENDING): Promise<Posted> {
    const options = posted(await harness.send(userId, { verb: 'beginMigration', solutionId }));
    const output = await press(userId, findButton(options.card, 'chooseMerge'), options);
    return { card: onlyCardOf(output.updates), id: options.id };
  }

  async function actionTwo(userId = 'demo-manager'): Promise<Posted> {
    const action1 = await actionOne(userId);
    const output = await press(userId, findButton(action1.card, 'selectOffer'), action1, {
      offerId: 'contoso.crm-connect',
      listingUrl: '',
    });
    expect(output.updates.map((update) => update.id)).toEqual([action1.id]);
    return { card: onlyCardOf(output.updates), id: action1.id };
  }

  test('Action 1 is a choice of the live offers, with type and storefront, or a listing URL, and one Continue', async () => {
    const { card } = await actionOne();
    const text = textOf(card);
    expect(text).toMatch(/Action 1 of 2/);
    const choices = offerChoicesOf(card);
    expect(Object.keys(choices)).toHaveLength(6);
    expect(choices['contoso.crm-connect']).toBe('Contoso CRM Connect · Software as a Service (SaaS) · Microsoft AppSource');
    expect(choices['contoso.secure-gateway']).toBe('Contoso Secure Gateway · Azure Application · Azure Marketplace');
    expect(text).not.toContain('Contoso Field Service Companion');
    expect(inputsOf(card)).toEqual({ offerId: '', listingUrl: '' });
    expect(buttonsOf(card).map((button) => button.data.verb)).toEqual(['selectOffer', 'cancel']);
    expect(stylesOf(card).filter((style) => style === 'positive')).toHaveLength(1);
  });

  test('choose a live offer: Action 2 shows the OCP solution ID and the whole URL, asks the rest, and Save makes one request', async () => {
    const form = await actionTwo();
    const text = textOf(form.card);
    expect(text).toMatch(/Action 2 of 2/);
    expect(inputsOf(form.card)).toEqual({ offerType: 'saas', offerName: 'Contoso CRM Connect' });
    expect(text).toMatch(new RegExp(`URL for existing listing\\n${CRM_LISTING}`));
    expect(text).toMatch(new RegExp(`OCP solution ID\\n${PENDING}`));
    expect(text).toMatch(/within two business days[\s\S]*not a Partner Center support ticket/);
    expect(buttonsOf(form.card).map((button) => button.data.verb)).toEqual(['submitMerge', 'chooseMerge', 'cancel']);
    expect(stylesOf(form.card).filter((style) => style === 'positive')).toHaveLength(1);

    const sent = await press('demo-manager', findButton(form.card, 'submitMerge'), form, inputsOf(form.card));
    expect(sent.replies).toEqual([]);
    expect(sent.updates.map((update) => update.id)).toEqual([form.id]);
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
      new RegExp(
        `Merge requested[\\s\\S]*Request ID ${String(request!.id)}[\\s\\S]*within two business days, by Nov 24, 2026\\.\\nPartner support contacts you outside Teams`,
      ),
    );
    expect(buttonsOf(done).map((button) => button.data.verb)).not.toContain('submitMerge');
    expect(JSON.stringify(done)).toContain('https://partner.microsoft.com/support');
    expect(statusOf(PENDING)).toBe('mergeRequested');
  });

  test('Back on Action 2 goes to Action 1 on the same card', async () => {
    const form = await actionTwo();
    const back = await press('demo-manager', findButton(form.card, 'chooseMerge'), form);
    expect(back.updates.map((update) => update.id)).toEqual([form.id]);
    expect(textOf(onlyCardOf(back.updates))).toMatch(/Action 1 of 2/);
  });

  test.each([
    [
      'neither an offer nor a URL',
      { offerId: '', listingUrl: '' },
      'Choose one of your live offers, or give the listing URL of the offer.',
    ],
    [
      'both an offer and a URL',
      { offerId: 'contoso.crm-connect', listingUrl: CRM_LISTING },
      'Choose an offer or give a listing URL, not both.',
    ],
  ])('Continue with %s is asked again on the card, and nothing changes', async (_label, inputs, reason) => {
    const action1 = await actionOne();
    const output = await press('demo-manager', findButton(action1.card, 'selectOffer'), action1, inputs);
    expect(output.updates.map((update) => update.id)).toEqual([action1.id]);
    const card = onlyCardOf(output.updates);
    expect(textOf(card)).toMatch(/Action 1 of 2/);
    expect(textOf(card)).toContain(reason);
    expect(inputsOf(card)).toEqual(inputs);
    expect(textsOf(output)).toEqual([]);
    expect(statusOf(PENDING)).toBe('pendingAction');
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

  test('a submission without the OCP solution ID is for the solution it names', async () => {
    const output = await harness.send('demo-manager', {
      verb: 'submitMerge',
      solutionId: PENDING,
      offerType: 'saas',
      offerName: 'Contoso CRM Connect',
      listingUrl: CRM_LISTING,
    });
    expect(textsOf(output).join(' ')).toMatch(/Merge requested for “Contoso Fleet Telematics”/);
    expect(requests(PENDING)).toEqual([expect.objectContaining({ ocp_solution_id: PENDING })]);
  });

  test('a listing URL of a known offer fills in its type and name', async () => {
    const action1 = await actionOne();
    const output = await press('demo-manager', findButton(action1.card, 'selectOffer'), action1, {
      offerId: '',
      listingUrl: `${CRM_LISTING}?tab=Overview`,
    });
    const form = onlyCardOf(output.updates);
    expect(inputsOf(form)).toEqual({ offerType: 'saas', offerName: 'Contoso CRM Connect' });
    expect(textOf(form)).toContain(CRM_LISTING);
    expect(findButton(form, 'submitMerge')?.data).toMatchObject({ ocpSolutionId: PENDING, listingUrl: CRM_LISTING });
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
    [
      "another publisher's listing",
      'https://appsource.microsoft.com/en-us/product/web-apps/someoneelse.otheroffer',
      'That listing is published by “someoneelse”, and a solution can only be merged into an offer of your own (publisher ID: contoso).',
    ],
  ])('a listing URL on %s is refused with the reason on the card, keeping what was typed', async (_label, url, reason) => {
    const action1 = await actionOne();
    const output = await press('demo-manager', findButton(action1.card, 'selectOffer'), action1, {
      offerId: '',
      listingUrl: url,
    });
    const card = onlyCardOf(output.updates);
    expect(textOf(card)).toContain(reason);
    expect(inputsOf(card)).toEqual({ offerId: '', listingUrl: url });
    expect(textsOf(output)).toEqual([]);
    expect(statusOf(PENDING)).toBe('pendingAction');

    // A typed answer gets its next step at the bottom; the card above is drawn finished.
    const typed = await harness.send('demo-manager', `${CRM_LISTING}?tab=Overview`);
    expect(inputsOf(posted(typed).card)).toEqual({ offerType: 'saas', offerName: 'Contoso CRM Connect' });
    expect(typed.updates.map((update) => update.id)).toEqual([action1.id]);
    expect(textOf(onlyCardOf(typed.updates))).toContain('Continued in a newer message below.');
    expect(buttonsOf(onlyCardOf(typed.updates))).toEqual([]);
  });

  test("another publisher's listing typed at Action 1 brings Action 1 again with the reason, and nothing is requested", async () => {
    await actionOne();
    const foreign = 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/SomeoneElse.other-offer';
    const output = await harness.send('demo-manager', foreign);
    const card = posted(output).card;
    expect(textOf(card)).toContain('That listing is published by “SomeoneElse”');
    expect(inputsOf(card)).toEqual({ offerId: '', listingUrl: foreign });
    expect(requests(PENDING)).toEqual([]);
  });

  test("a Save & Contact support crafted with another publisher's listing asks for the listing again, and requests nothing", async () => {
    const submit = {
      verb: 'submitMerge',
      solutionId: PENDING,
      origin: 'solution',
      offerType: 'saas',
      offerName: 'Other Offer',
      ocpSolutionId: PENDING,
      listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/someoneelse.otheroffer',
    };
    const output = await harness.send('demo-manager', submit, 'flow-card');
    const texts = textsOf(output);
    expect(texts[0]).toMatch(/^That listing is published by “someoneelse”/);
    expect(texts.at(-1)).toMatch(/listing/i);
    expect(requests(PENDING)).toEqual([]);
    expect(statusOf(PENDING)).toBe('pendingAction');
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
    expect(inputsOf(form)).toMatchObject({ offerType: 'iotEdgeModule' });
    expect(textOf(form)).toContain(PENDING);
    expect(requests(PENDING)).toEqual([]);

    const named = await harness.send('demo-developer', '  Contoso Edge Vision Module ');
    expect(textsOf(named).join(' ')).toMatch(/Merge requested for “Contoso Fleet Telematics”/);
    expect(textOf(posted(named).card)).toMatch(/Merge requested/);
    expect(named.updates.map((update) => update.id)).toEqual(['flow-card']);
    expect(requests(PENDING)).toEqual([
      expect.objectContaining({
        offer_type: 'iotEdgeModule',
        offer_name: 'Contoso Edge Vision Module',
        requested_by_user_id: 'demo-developer',
      }),
    ]);
  });

  test('a listing URL of an offer the bot does not know opens the Action 2 form, type as a choice and name as an input; typed answers still work', async () => {
    harness.literals = [TRICKY];
    const unknownListing = 'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.new-thing';
    const opened = await harness.send('demo-manager', {
      verb: 'useListingUrl',
      solutionId: PENDING,
      listingUrl: unknownListing,
    });
    const form = posted(opened);
    expect(inputsOf(form.card)).toEqual({ offerType: '', offerName: '' });
    expect(textOf(form.card)).toContain(unknownListing);
    expect(findButton(form.card, 'submitMerge')).toBeDefined();
    expect(textsOf(opened)).toEqual([]);

    // Save typed with the two left empty asks for each in turn, and then sends.
    expect(textsOf(await harness.send('demo-manager', 'submit')).join(' ')).toMatch(
      /Which type is the offer\? Reply with its number or name:\n1\. Azure Application\n/,
    );
    expect(textsOf(await harness.send('demo-manager', 'Power BI visual'))).toEqual([
      "What is the offer's name, as in Partner Center?",
    ]);
    expect(textsOf(await harness.send('demo-manager', 'x'.repeat(201)))).toEqual([
      "The offer name is longer than 200 characters. What is the offer's name, as in Partner Center?",
    ]);
    const sent = await harness.send('demo-manager', TRICKY);
    expect(textsOf(sent).join(' ')).toMatch(/Merge requested for “Contoso Fleet Telematics”/);
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
    expect(requests(PENDING)).toEqual([]);
  });

  test('typing "merge" on the options card brings Action 1 at the bottom, and the options card is finished', async () => {
    const options = posted(await harness.send('demo-manager', { verb: 'beginMigration', solutionId: PENDING }));
    const output = await harness.send('demo-manager', 'merge');
    expect(textOf(posted(output).card)).toMatch(/Action 1 of 2/);
    expect(output.updates.map((update) => update.id)).toEqual([options.id]);
    expect(buttonsOf(onlyCardOf(output.updates))).toEqual([]);
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

  describe('a finished form does nothing', () => {
    test('cancel typed, then the old Save & Contact support: no request, the answer at the bottom, the card finished', async () => {
      const form = await actionTwo();
      const cancelled = await harness.send('demo-manager', 'cancel');
      expect(textsOf(cancelled)).toEqual(['Stopped. Nothing else was changed.']);
      expect(cancelled.updates.map((update) => update.id)).toEqual([form.id]);
      const finished = onlyCardOf(cancelled.updates);
      expect(textOf(finished)).toMatch(
        /Merge into a live offer[\s\S]*You stopped here\. Nothing was changed\.[\s\S]*Status now: Pending action/,
      );
      expect(buttonsOf(finished)).toEqual([]);

      const late = await press('demo-manager', findButton(form.card, 'submitMerge'), form, inputsOf(form.card));
      expect(requests(PENDING)).toEqual([]);
      expect(statusOf(PENDING)).toBe('pendingAction');
      expect(textsOf(late)).toEqual([
        'That card belongs to a task that has ended, so nothing was changed. This is where “Contoso Fleet Telematics” stands now:',
      ]);
      const current = posted(late).card;
      expect(textOf(current)).toMatch(/Pending action/);
      expect(late.updates.map((update) => update.id)).toEqual([form.id]);
      expect(buttonsOf(onlyCardOf(late.updates))).toEqual([]);
    });

    test('Cancel pressed on the form finishes it in place, and a later Save does nothing', async () => {
      const form = await actionTwo();
      const cancelled = await press('demo-manager', findButton(form.card, 'cancel'), form);
      expect(cancelled.replies).toEqual([]);
      expect(textOf(onlyCardOf(cancelled.updates))).toContain('You stopped here. Nothing was changed.');
      await press('demo-manager', findButton(form.card, 'submitMerge'), form, inputsOf(form.card));
      expect(requests(PENDING)).toEqual([]);
    });

    test('a form left for another solution is finished, and its Save does nothing', async () => {
      const form = await actionTwo();
      const other = await harness.send('demo-manager', { verb: 'beginMigration', solutionId: 'OCP-1042188' });
      expect(posted(other).card).toBeDefined();
      expect(other.updates.map((update) => update.id)).toEqual([form.id]);
      expect(textOf(onlyCardOf(other.updates))).toContain('Closed when you started something else.');
      await press('demo-manager', findButton(form.card, 'submitMerge'), form, inputsOf(form.card));
      expect(requests(PENDING)).toEqual([]);
    });

    test('a form is closed after a day without an answer', async () => {
      const form = await actionTwo();
      harness.advance(25 * 60 * 60 * 1000);
      const later = await harness.send('demo-manager', 'submit');
      expect(later.updates.map((update) => update.id)).toEqual([form.id]);
      expect(textOf(onlyCardOf(later.updates))).toContain('Closed after a day without an answer.');
      expect(textOf(onlyCardOf(later.replies))).toMatch(/^I didn't catch that\nYou can type a solution's name or ID/);
      expect(requests(PENDING)).toEqual([]);
    });

    test('the Save of a form that was sent does nothing more', async () => {
      const form = await actionTwo();
      await press('demo-manager', findButton(form.card, 'submitMerge'), form, inputsOf(form.card));
      const again = await press('demo-manager', findButton(form.card, 'submitMerge'), form, inputsOf(form.card));
      expect(textsOf(again).join(' ')).toMatch(/was already requested: request ID MR-[\s\S]*No second request was made\./);
      expect(requests(PENDING)).toHaveLength(1);
    });
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

  test('the solution waits for a new offer, and the user gets every publishing step in place of the options', async () => {
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
    // The steps are drawn on the pressed card, which says it all: no message repeats it.
    expect(textsOf(output)).toEqual([]);
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

    // Get Help follows that request up: its ID, when it was due, and what to do now.
    const help = await harness.send('demo-marketer', findButton(card, 'help')!.data);
    expect(textsOf(help)[0]).toMatch(
      /^Merge request MR-DEMO-00001 was sent on .+ and partner support should have answered by Nov 17, 2026\. Follow it up in Partner Center: Help \+ support, .*MR-DEMO-00001 and the OCP solution ID OCP-1041962/,
    );
    expect(textOf(onlyCardOf(help.replies))).toContain('Get Help');
  });
});
