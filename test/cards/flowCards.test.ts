import type { CardAttachment } from '../../cards/cardTemplate';
import { confirmDiscardAttachment } from '../../cards/confirmDiscard';
import { FLOW_KINDS, flowEndedAttachment, type FlowEnd } from '../../cards/flowEnded';
import { mergeDetailsAttachment } from '../../cards/mergeDetails';
import { MAX_OFFERS_ON_CARD, mergeOfferAttachment } from '../../cards/mergeOffer';
import { migrationOptionsAttachment } from '../../cards/migrationOptions';
import type { Offer, Solution } from '../../domain/model';
import { KO_KR_CATALOG, Translator } from '../../locales/i18n';
import { buttonsOf, textOf } from '../support/cards';
import { cardProblems } from '../support/cardValidation';
import { TEST_NOW } from '../support/dialogHarness';
import { viewerFor } from '../support/viewers';

const FLOW = 'flow-1';
const URL = 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect';

const solution: Solution = {
  id: 'OCP-1042173',
  partnerAccountId: 'p',
  partnerId: '6104213',
  name: 'Contoso Fleet Telematics',
  coSellStatus: 'coSellReady',
  carriedOver: { openReferrals: 4, collateralDocuments: 6 },
  status: 'pendingAction',
  statusChangedAt: TEST_NOW,
  version: 0,
};

function offer(index: number): Offer {
  return {
    id: `contoso.offer-${index}`,
    partnerAccountId: 'p',
    publisherId: 'contoso',
    offerId: `offer-${index}`,
    name: `Contoso Offer ${index}`,
    type: 'saas',
    storefront: 'appSource',
    publishingState: 'live',
    listingUrl: `https://appsource.microsoft.com/en-us/product/web-apps/contoso.offer-${index}`,
  };
}

const offers = (count: number): Offer[] => Array.from({ length: count }, (_, index) => offer(index + 1));

/** What every card of a flow keeps to: valid schema 1.5, at most one primary button and four in all, each carrying the flow. */
function expectFlowCard(card: CardAttachment): void {
  expect(cardProblems(card.content)).toEqual([]);
  const buttons = buttonsOf(card.content);
  expect(buttons.length).toBeLessThanOrEqual(4);
  const primary: unknown[] = [];
  JSON.stringify(card.content, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && (value as { style?: unknown }).style === 'positive') primary.push(value);
    return value;
  });
  expect(primary.length).toBeLessThanOrEqual(1);
  for (const button of buttons) expect(button.data).toMatchObject({ flow: FLOW, solutionId: solution.id });
}

describe('the cards of a flow', () => {
  const viewer = viewerFor('manager');

  test.each([0, 1, 6, MAX_OFFERS_ON_CARD + 5])('Action 1 with %i live offers: a choice and one Continue', (count) => {
    const card = mergeOfferAttachment({ solution, liveOffers: offers(count) }, viewer, FLOW);
    expectFlowCard(card);
    expect(buttonsOf(card.content).map((button) => button.data.verb)).toEqual(['selectOffer', 'cancel']);
    const text = textOf(card.content);
    if (count === 0) expect(text).toContain('Contoso has no live offers this bot knows of.');
    if (count > MAX_OFFERS_ON_CARD) expect(text).toContain(`Showing ${MAX_OFFERS_ON_CARD} of ${count} live offers.`);
    expect(JSON.stringify(card.content).includes('"style":"compact"')).toBe(count > 8);
  });

  test('Action 1 drawn again keeps the offer chosen and the URL typed, with the reason', () => {
    const card = mergeOfferAttachment({ solution, liveOffers: offers(3) }, viewer, FLOW, {
      offerId: 'contoso.offer-2',
      listingUrl: URL,
      error: 'Choose an offer or give a listing URL, not both.',
    });
    expectFlowCard(card);
    expect(JSON.stringify(card.content)).toContain('"value":"contoso.offer-2"');
    expect(textOf(card.content)).toContain('not both');
  });

  test('Action 2 shows a valid URL whole and the OCP solution ID as text, and carries both with Save', () => {
    const card = mergeDetailsAttachment(
      solution,
      { offerType: 'saas', offerName: 'Contoso CRM Connect', ocpSolutionId: solution.id, listingUrl: URL },
      {},
      viewer,
      FLOW,
    );
    expectFlowCard(card);
    expect(buttonsOf(card.content).map((button) => button.data.verb)).toEqual(['submitMerge', 'chooseMerge', 'cancel']);
    expect(buttonsOf(card.content)[0]?.data).toMatchObject({ ocpSolutionId: solution.id, listingUrl: URL });
    const json = JSON.stringify(card.content);
    expect(json).not.toContain('"id":"ocpSolutionId"');
    expect(json).not.toContain('"id":"listingUrl"');
    expect(textOf(card.content).split('Contoso CRM Connect')).toHaveLength(1);
    expect(textOf(card.content)).toMatch(/not a Partner Center support ticket/);
  });

  test('Action 2 asks for a listing URL that is missing or wrong, saying why', () => {
    const card = mergeDetailsAttachment(
      solution,
      { offerType: 'saas', offerName: 'N', listingUrl: 'http://example.com' },
      { listingUrl: 'The listing URL must start with https://.' },
      viewer,
      FLOW,
    );
    expectFlowCard(card);
    expect(JSON.stringify(card.content)).toContain('"id":"listingUrl"');
    expect(buttonsOf(card.content)[0]?.data.listingUrl).toBeUndefined();
    expect(textOf(card.content)).toContain('must start with https://');
  });

  test('the options and the confirmation carry the flow', () => {
    expectFlowCard(migrationOptionsAttachment(solution, viewer, FLOW));
    expectFlowCard(confirmDiscardAttachment(solution, viewer, FLOW));
  });

  const ends: FlowEnd[] = ['cancelled', 'replaced', 'continued', 'timedOut', 'ended'];
  test.each(FLOW_KINDS.flatMap((kind) => ends.map((end) => [kind, end] as const)))(
    'a %s card finished as %s has no buttons and says why, in both languages',
    (kind, end) => {
      for (const t of [viewer.t, new Translator('ko-KR', KO_KR_CATALOG, 'UTC')]) {
        const card = flowEndedAttachment(kind, end, solution, { ...viewer, t });
        expect(cardProblems(card.content)).toEqual([]);
        expect(buttonsOf(card.content)).toEqual([]);
        expect(textOf(card.content)).toContain(t.t(`flow.end.${end}`));
        expect(textOf(card.content)).toContain(solution.name);
      }
    },
  );

  test('a card whose flow is not known is simply closed', () => {
    const card = flowEndedAttachment(undefined, 'ended', undefined, viewer);
    expect(cardProblems(card.content)).toEqual([]);
    expect(textOf(card.content)).toBe("Closed\nThis card's task has ended; its buttons no longer do anything.");
  });
});
