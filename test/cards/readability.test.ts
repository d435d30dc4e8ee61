import type { CardAttachment } from '../../cards/cardTemplate';
import { helpAttachment } from '../../cards/help';
import {
  certificationAttachment,
  infoRequestedNoticeAttachment,
  installOfferAttachment,
  mergedNoticeAttachment,
  offerLiveAttachment,
  subscriptionStatusAttachment,
} from '../../cards/notice';
import { overviewAttachment } from '../../cards/overview';
import { publishingStepsAttachment } from '../../cards/publishingSteps';
import { solutionAttachment } from '../../cards/solution';
import { solutionListAttachment } from '../../cards/solutionList';
import { SolutionRows } from '../../cards/solutionRow';
import { supportRequestAttachment } from '../../cards/supportRequest';
import { SOLUTIONS_PAGE_SIZE } from '../../domain/migrationService';
import {
  CERTIFICATION_STATUSES,
  MIGRATION_STATUSES,
  PARTNER_ROLES,
  type MigrationStatus,
  type Offer,
  type Solution,
  type SupportRequest,
} from '../../domain/model';
import { LIST_ORDER, zeroCounts } from '../../domain/status';
import { EN_US_CATALOG, KO_KR_CATALOG, Translator } from '../../locales/i18n';
import { textOf } from '../support/cards';
import { cardProblems } from '../support/cardValidation';
import { TEST_NOW } from '../support/dialogHarness';
import { viewerFor } from '../support/viewers';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(node: unknown, visit: (object: Json) => void): void {
  if (Array.isArray(node)) node.forEach((child) => walk(child, visit));
  else if (isObject(node)) {
    visit(node);
    Object.entries(node).forEach(([key, child]) => key !== 'fallback' && walk(child, visit));
  }
}

/** The buttons a card shows before anything is unfolded: its actions and its action sets, not what a ShowCard holds. */
function visibleButtons(card: unknown): Json[] {
  const buttons: Json[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'card' && node.type === 'Action.ShowCard') continue;
        if (key === 'actions' && Array.isArray(child)) buttons.push(...child.filter(isObject));
        if (key !== 'fallback' && key !== 'selectAction') visit(child);
      }
    }
  };
  visit(card);
  return buttons;
}

const en = new Translator('en-US', EN_US_CATALOG, 'UTC');
const ko = new Translator('ko-KR', KO_KR_CATALOG, 'UTC');

function solution(status: MigrationStatus, index = 0): Solution {
  return {
    id: `OCP-10419${String(index).padStart(2, '0')}`,
    partnerAccountId: 'p',
    partnerId: '1',
    name: `Contoso ${status} ${index}`,
    coSellStatus: 'coSellReady',
    carriedOver: { openReferrals: 3, collateralDocuments: 1 },
    status,
    statusChangedAt: TEST_NOW,
    version: 0,
    ...(status === 'mergeRequested' && {
      mergeRequest: { id: `MR-${index}`, state: 'open', dueAt: new Date(TEST_NOW.getTime() - 86_400_000 * (index % 2)) },
    }),
  };
}

const OFFER: Offer = {
  id: 'contoso.energy',
  partnerAccountId: 'p',
  publisherId: 'contoso',
  offerId: 'energy',
  type: 'saas',
  name: 'Contoso Energy Analytics',
  storefront: 'appSource',
  listingUrl: 'https://appsource.microsoft.com/product/web-apps/contoso.energy',
  publishingState: 'live',
};

const REQUEST: SupportRequest = {
  id: 'MR-20261121-AAAAA',
  partnerAccountId: 'p',
  solutionId: 'OCP-1041900',
  offerType: 'saas',
  offerName: OFFER.name,
  ocpSolutionId: 'OCP-1041900',
  listingUrl: OFFER.listingUrl ?? '',
  requestedBy: { userId: 'u', name: 'Dana' },
  requestedAt: TEST_NOW,
  dueAt: new Date('2026-11-24T09:00:00Z'),
  state: 'infoRequested',
  infoNeeded: 'The plan names',
};

/** A page with every status, in list order, two of each. */
function mixedPage(role: (typeof PARTNER_ROLES)[number], t: Translator): CardAttachment {
  const items = LIST_ORDER.flatMap((status, i) => [solution(status, 2 * i), solution(status, 2 * i + 1)]).slice(
    0,
    SOLUTIONS_PAGE_SIZE,
  );
  return solutionListAttachment(
    { items, page: 1, pageCount: 2, total: 12, counts: { ...zeroCounts(), pendingAction: 2 }, asOf: TEST_NOW },
    viewerFor(role, {}, t),
    new SolutionRows(),
  );
}

/** Every card of the migration outside the merge forms, in both languages. */
function cards(t: Translator): [string, CardAttachment][] {
  const manager = viewerFor('manager', {}, t);
  const marketer = viewerFor('marketer', { cloudPartnerProgramActive: false }, t);
  const counts = { ...zeroCounts(), pendingAction: 3 };
  return [
    ...PARTNER_ROLES.map((role): [string, CardAttachment] => [`the list for a ${role}`, mixedPage(role, t)]),
    ...MIGRATION_STATUSES.map((status): [string, CardAttachment] => [
      `a ${status} solution`,
      solutionAttachment({ solution: solution(status, 1), asOf: TEST_NOW }, manager),
    ]),
    ['the overview', overviewAttachment({ actor: manager.actor, mayChange: true, counts }, manager)],
    ['the overview for a role that reads', overviewAttachment({ actor: marketer.actor, mayChange: false, counts }, marketer)],
    ['help', helpAttachment(manager)],
    ['the new-offer steps', publishingStepsAttachment(solution('awaitingNewOffer'), manager)],
    ['the draft steps', publishingStepsAttachment(solution('migratedAsDraft'), manager)],
    ...CERTIFICATION_STATUSES.map((status): [string, CardAttachment] => [
      `certification ${status}`,
      certificationAttachment(
        {
          id: 1,
          partnerAccountId: 'p',
          offerId: OFFER.id,
          status,
          detail: 'Listing images are missing.',
          reportUrl: 'https://partner.microsoft.com/report',
          source: 'api',
          receivedAt: TEST_NOW,
        },
        OFFER,
        t,
      ),
    ]),
    ['an offer gone live', offerLiveAttachment(OFFER, [solution('awaitingNewOffer')], t)],
    ['a merge done', mergedNoticeAttachment({ ...REQUEST, state: 'completed' }, solution('merged'), t)],
    ['more information asked', infoRequestedNoticeAttachment(REQUEST, solution('mergeRequested'), t)],
    ['the subscription status', subscriptionStatusAttachment('Contoso', { offers: [OFFER] }, t)],
    ['the offer to subscribe', installOfferAttachment('Contoso', t)],
    [
      'a request for partner support',
      supportRequestAttachment(REQUEST, solution('mergeRequested'), manager.actor.account, t, TEST_NOW),
    ],
  ];
}

describe.each([
  ['English', en],
  ['Korean', ko],
])('cards read well in %s', (_language, t) => {
  test.each(cards(t))('%s is valid at 1.5', (_name, card) => {
    expect(cardProblems(card.content)).toEqual([]);
  });

  test.each(cards(t))('%s has text in the default colour, Attention only for what went wrong', (_name, card) => {
    const colours = new Set<unknown>();
    walk(card.content, (node) => node.color !== undefined && colours.add(node.color));
    colours.delete('Default');
    colours.delete('Attention');
    expect([...colours]).toEqual([]);
  });

  test.each(cards(t))('%s has at most one primary button and about four in view', (_name, card) => {
    const buttons = visibleButtons(card.content);
    expect(buttons.filter((button) => button.style === 'positive').length).toBeLessThanOrEqual(1);
    expect(buttons.length).toBeLessThanOrEqual(4);
  });
});

describe('the solution list', () => {
  test('one row a solution, each opened by pressing it, and no buttons among the rows', () => {
    const card = mixedPage('manager', en).content;
    const selects: Json[] = [];
    walk(card, (node) => isObject(node.selectAction) && selects.push(node.selectAction));
    expect(selects.map((select) => (select.data as Json).verb)).toEqual([
      'beginMigration',
      'beginMigration',
      ...Array<string>(8).fill('showSolution'),
    ]);
    expect(selects.map((select) => (select.data as Json).solutionId)).toEqual(
      Array.from({ length: SOLUTIONS_PAGE_SIZE }, (_, i) => `OCP-10419${String(i).padStart(2, '0')}`),
    );
    expect(selects.every((select) => (select.data as Json).origin === 'list' && (select.data as Json).page === 1)).toBe(true);
    expect(visibleButtons(card).map((button) => button.title)).toEqual(['Next', 'Get Help']);
  });

  test('a role that only reads opens every row, to see it', () => {
    const selects: unknown[] = [];
    walk(mixedPage('marketer', en).content, (node) => isObject(node.selectAction) && selects.push(node.selectAction));
    expect(selects).toHaveLength(SOLUTIONS_PAGE_SIZE);
    expect(selects.every((select) => isObject(select) && isObject(select.data) && select.data.verb === 'showSolution')).toBe(
      true,
    );
  });

  test.each([
    ['English', en],
    ['Korean', ko],
  ])('in %s, each status is named and explained once, above its rows', (_language, t) => {
    const text = textOf(mixedPage('manager', t).content);
    // Two of each status fill the page of ten up to the merged ones.
    for (const status of LIST_ORDER.slice(0, 5)) {
      const explanation = t.t(`status.${status}.explanation`);
      expect(text.split(explanation)).toHaveLength(2);
      expect(text).toContain(`${t.t(`status.${status}.label`)}\n${explanation}`);
    }
  });

  test('a merge request past its date is marked, in the Attention colour, on its own row', () => {
    const card = mixedPage('manager', en).content;
    const marks: Json[] = [];
    walk(card, (node) => node.color === 'Attention' && marks.push(node));
    expect(marks.map((mark) => mark.text)).toEqual(['!']);
    expect(textOf(card)).toContain('Request MR-7\nOverdue: partner support should have answered by Nov 20, 2026.');
  });

  test('an OCP solution ID stands on a line of its own, with a label short enough to leave it whole', () => {
    const card = mixedPage('manager', en).content;
    const runs: unknown[] = [];
    walk(
      card,
      (node) => node.type === 'TextRun' && typeof node.text === 'string' && node.text.includes('OCP-') && runs.push(node.text),
    );
    expect(runs).toEqual(Array.from({ length: SOLUTIONS_PAGE_SIZE }, (_, i) => `ID OCP-10419${String(i).padStart(2, '0')}`));
  });

  test.each([
    [0, 'Waiting for a decision: 0 of 12'],
    [1, 'Waiting for a decision: 1 of 12'],
    [10, 'Waiting for a decision: 10 of 12'],
  ])('with %i pending, the summary reads "%s"', (pending, summary) => {
    const card = solutionListAttachment(
      { items: [], page: 1, pageCount: 1, total: 12, counts: { ...zeroCounts(), pendingAction: pending }, asOf: TEST_NOW },
      viewerFor('manager'),
      new SolutionRows(),
    );
    expect(textOf(card.content)).toContain(summary);
  });
});

describe('what the cards say', () => {
  test('the overview shows a role that only reads how to get one that decides, with the publisher list', () => {
    const marketer = viewerFor('marketer');
    const card = overviewAttachment({ actor: marketer.actor, mayChange: false, counts: zeroCounts() }, marketer);
    expect(textOf(card.content)).toMatch(/publisher list[\s\S]*as a Manager or Developer/);
    expect(visibleButtons(card.content)).toContainEqual(
      expect.objectContaining({ type: 'Action.OpenUrl', url: 'https://go.microsoft.com/fwlink/?linkid=2165704' }),
    );
    const manager = viewerFor('manager');
    const decides = overviewAttachment({ actor: manager.actor, mayChange: true, counts: zeroCounts() }, manager);
    expect(textOf(decides.content)).not.toContain('publisher list');
  });

  test('Get Help promises two business days for merge requests only', () => {
    const text = textOf(helpAttachment({ t: en }).content);
    expect(text).toContain('For a merge request, partner support contacts you within two business days.');
    expect(text.match(/two business days/g)).toHaveLength(1);
  });

  test('a merge done points to the offer’s Co-sell with Microsoft tab and the co-sell requirements', () => {
    const card = mergedNoticeAttachment({ ...REQUEST, state: 'completed' }, solution('merged'), en).content;
    expect(textOf(card)).toContain('open the Co-sell with Microsoft tab of “Contoso Energy Analytics” in Partner Center');
    expect(JSON.stringify(card)).toContain('https://learn.microsoft.com/partner-center/referrals/co-sell-requirements');
  });
});

describe('the offer-live notice', () => {
  test.each([
    ['English', 1, 'You said “Contoso awaitingNewOffer 0” waits for “Contoso Energy Analytics”, and it is live now', en],
    ['English', 2, 'You said these 2 solutions wait for “Contoso Energy Analytics”, and it is live now: merge each into it.', en],
    ['Korean', 1, '“Contoso awaitingNewOffer 0” 솔루션이 “Contoso Energy Analytics” 제품을 기다린다고 알려 주셨습니다.', ko],
    ['Korean', 2, '“Contoso Energy Analytics” 제품을 기다린다고 알려 주신 솔루션이 2개 있습니다.', ko],
  ])(
    'in %s, with %i waiting solutions, names what it proposes, with one primary button at most',
    (_language, waiting, said, t) => {
      const solutions = Array.from({ length: waiting }, (_, index) => solution('awaitingNewOffer', index));
      const card = offerLiveAttachment(OFFER, solutions, t).content;
      expect(textOf(card)).toContain(said);
      const buttons = visibleButtons(card);
      expect(buttons.map((button) => (isObject(button.data) ? button.data.solutionId : undefined))).toEqual(
        solutions.map((waiter) => waiter.id),
      );
      expect(buttons.filter((button) => button.style === 'positive')).toHaveLength(waiting === 1 ? 1 : 0);
    },
  );

  test.each([
    ['English', en],
    ['Korean', ko],
  ])('in %s, the button for one solution is short; for several, each names its solution', (_language, t) => {
    const titles = (waiting: number): unknown[] =>
      visibleButtons(
        offerLiveAttachment(
          OFFER,
          Array.from({ length: waiting }, (_, index) => solution('awaitingNewOffer', index)),
          t,
        ).content,
      ).map((button) => button.title);
    expect(titles(1)).toEqual([t.t('offerLive.mergeOne')]);
    expect(titles(2)).toEqual([0, 1].map((index) => t.t('offerLive.merge', { solution: `Contoso awaitingNewOffer ${index}` })));
  });
});
