import type { CardAttachment } from '../../cards/cardTemplate';
import { SOLUTIONS_PAGE_SIZE } from '../../domain/migrationService';
import { MIGRATION_STATUSES, PARTNER_ROLES, type MigrationStatus, type Solution } from '../../domain/model';
import { zeroCounts } from '../../domain/status';
import { confirmDiscardAttachment } from '../../cards/confirmDiscard';
import { helpAttachment } from '../../cards/help';
import { migrationOptionsAttachment } from '../../cards/migrationOptions';
import { overviewAttachment } from '../../cards/overview';
import { solutionAttachment } from '../../cards/solution';
import { solutionListAttachment } from '../../cards/solutionList';
import { SolutionRows } from '../../cards/solutionRow';
import { EN_US_CATALOG, Translator } from '../../locales/i18n';
import { buttonsOf, textOf } from '../support/cards';
import { cardProblems } from '../support/cardValidation';
import { viewerFor } from '../support/viewers';
import { TEST_NOW } from '../support/dialogHarness';

const TRICKY_NAME = "${if(true,'a','b')} **bold** <b>x</b>";
const t = new Translator('en-US', EN_US_CATALOG, 'UTC');

function solution(status: MigrationStatus, name = `Solution ${status}`): Solution {
  return {
    id: `OCP-${status}`,
    partnerAccountId: 'p',
    partnerId: '1',
    name,
    coSellStatus: 'coSellReady',
    carriedOver: { openReferrals: 3, collateralDocuments: 1 },
    status,
    statusChangedAt: TEST_NOW,
    version: 0,
  };
}

function expectValid(card: CardAttachment, literals: string[] = []): void {
  expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(cardProblems(card.content, literals)).toEqual([]);
}

const combinations = PARTNER_ROLES.flatMap((role) => MIGRATION_STATUSES.map((status) => [role, status] as const));

describe('cards', () => {
  test.each(combinations)('a %s sees a valid card for a %s solution, with the buttons their role allows', (role, status) => {
    const card = solutionAttachment({ solution: solution(status) }, viewerFor(role));
    expectValid(card);
    const verbs = buttonsOf(card.content).map((button) => button.data.verb);
    const mayChange = ['owner', 'manager', 'developer'].includes(role);
    expect(verbs.includes('beginMigration')).toBe(mayChange && status === 'pendingAction');
    expect(verbs.includes('undoDiscard')).toBe(mayChange && status === 'discarded');
    expect(textOf(card.content)).toContain(t.t(`status.${status}.label`));
  });

  test.each(PARTNER_ROLES)('a full list page is valid for a %s', (role) => {
    const items = Array.from({ length: SOLUTIONS_PAGE_SIZE }, (_, i) =>
      solution(MIGRATION_STATUSES[i % MIGRATION_STATUSES.length]!),
    );
    expectValid(
      solutionListAttachment(
        { items, page: 2, pageCount: 3, total: 25, counts: { ...zeroCounts(), pendingAction: 4 }, asOf: TEST_NOW },
        viewerFor(role),
        new SolutionRows(),
      ),
    );
  });

  test('an empty list says there is nothing, without buttons for solutions', () => {
    const card = solutionListAttachment(
      { items: [], page: 1, pageCount: 1, total: 0, counts: zeroCounts(), asOf: TEST_NOW },
      viewerFor('owner'),
      new SolutionRows(),
    );
    expectValid(card);
    expect(textOf(card.content)).toContain('There are no OCP GTM solutions under the PartnerIDs of Contoso.');
  });

  test.each([
    [true, true],
    [false, true],
    [true, false],
    [false, false],
  ])(
    'the overview with membership %s and enrollment %s is valid and points to each fix',
    (cloudPartnerProgramActive, marketplaceEnrolled) => {
      const scope = viewerFor('manager', { cloudPartnerProgramActive, marketplaceEnrolled });
      const card = overviewAttachment(
        { actor: scope.actor, mayChange: true, counts: { ...zeroCounts(), pendingAction: 1 } },
        scope,
      );
      expectValid(card);
      const json = JSON.stringify(card.content);
      expect(json.includes('enrollment/introduction/partnership')).toBe(!cloudPartnerProgramActive);
      expect(json.includes('marketplace/create-account')).toBe(!marketplaceEnrolled);
    },
  );

  test('options, confirmation and help cards are valid', () => {
    const scope = viewerFor('developer');
    expectValid(migrationOptionsAttachment(solution('pendingAction'), scope, 'flow-1'));
    expectValid(confirmDiscardAttachment(solution('pendingAction'), scope, 'flow-1'));
    expectValid(helpAttachment(scope));
  });

  test.each([
    [
      'co-sell ready, 3 referrals and 1 document',
      solution('pendingAction'),
      ['Co-sell status', 'Co-sell ready', '3 open referrals', '1 document', 'A discard gives all of this up'],
    ],
    [
      'nothing to carry over',
      {
        ...solution('pendingAction'),
        coSellStatus: 'notReady' as const,
        carriedOver: { openReferrals: 0, collateralDocuments: 0 },
      },
      ['Not co-sell ready', '0 open referrals', '0 documents', 'so a discard gives none of that up'],
    ],
  ])('the discard confirmation of a solution with %s shows what a discard gives up, before it', (_label, stakes, texts) => {
    const card = confirmDiscardAttachment(stakes, viewerFor('manager'), 'flow-1');
    for (const text of texts) expect(textOf(card.content)).toContain(text);
    expect(textOf(card.content)).toContain('assess whether the solution is still viable and relevant');
  });

  test('the options card shows what the solution has, and the advice to assess it first', () => {
    const text = textOf(migrationOptionsAttachment(solution('pendingAction'), viewerFor('manager'), 'flow-1').content);
    for (const shown of ['What this solution has', 'Co-sell ready', '3 open referrals', '1 document', 'viable and relevant']) {
      expect(text).toContain(shown);
    }
  });

  test('names that look like template expressions or markdown are shown exactly as they are, never as markdown', () => {
    const card = solutionAttachment({ solution: solution('pendingAction', TRICKY_NAME) }, viewerFor('owner'));
    expectValid(card, [TRICKY_NAME]);
    const runs: unknown[] = [];
    JSON.stringify(card.content, (_key, value: unknown) => {
      if (typeof value === 'object' && value !== null && (value as { text?: unknown }).text === TRICKY_NAME) runs.push(value);
      return value;
    });
    expect(runs).toEqual([expect.objectContaining({ type: 'TextRun', text: TRICKY_NAME })]);
  });
});
