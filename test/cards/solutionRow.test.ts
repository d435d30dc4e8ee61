import { CachedFragmentTemplate, type CardAttachment } from '../../cards/cardTemplate';
import { SolutionRows } from '../../cards/solutionRow';
import { solutionListAttachment } from '../../cards/solutionList';
import type { SolutionListPage } from '../../domain/migrationService';
import type { PartnerRole, Solution } from '../../domain/model';
import { zeroCounts } from '../../domain/status';
import { EN_US_CATALOG, KO_KR_CATALOG, Translator } from '../../locales/i18n';
import { textOf } from '../support/cards';
import { TEST_NOW } from '../support/dialogHarness';
import { viewerFor } from '../support/viewers';

interface Drawing {
  readonly solution: Solution;
  readonly t: Translator;
  readonly role: PartnerRole;
  readonly page: number;
  readonly asOf: Date;
}

const REQUEST = {
  id: 'MR-20261121-AAAAA',
  state: 'open',
  // Late in the UTC day, so that a zone east of UTC writes the next day.
  dueAt: new Date('2026-11-23T20:00:00Z'),
} as const;

const BASE: Drawing = {
  solution: {
    id: 'OCP-1',
    partnerAccountId: 'p',
    partnerId: '1',
    name: 'Contoso Analytics',
    coSellStatus: 'coSellReady',
    carriedOver: { openReferrals: 3, collateralDocuments: 1 },
    status: 'mergeRequested',
    statusChangedAt: TEST_NOW,
    version: 0,
    mergeRequest: REQUEST,
  },
  t: new Translator('en-US', EN_US_CATALOG, 'UTC'),
  role: 'manager',
  page: 1,
  asOf: TEST_NOW,
};

function listOf(drawing: Drawing, rows: SolutionRows): CardAttachment {
  const page: SolutionListPage = {
    items: [drawing.solution],
    page: drawing.page,
    pageCount: 3,
    total: 21,
    counts: { ...zeroCounts(), mergeRequested: 1 },
    asOf: drawing.asOf,
  };
  const viewer = viewerFor(drawing.role, {}, drawing.t);

  return solutionListAttachment(page, viewer, rows);
}

const withSolution = (change: Partial<Solution>): Drawing => ({ ...BASE, solution: { ...BASE.solution, ...change } });

describe('list rows kept once drawn', () => {
  const PENDING: Drawing = withSolution({ status: 'pendingAction' });

  // Each pair differs in one thing a row shows; a key that missed it would hand back the first row.
  test.each<[string, Drawing, Drawing]>([
    ['another language', BASE, { ...BASE, t: new Translator('ko-KR', KO_KR_CATALOG, 'UTC') }],
    ['another time zone', BASE, { ...BASE, t: new Translator('en-US', EN_US_CATALOG, 'Pacific/Kiritimati') }],
    ['a role that only reads', PENDING, { ...PENDING, role: 'marketer' }],
    ['another page', PENDING, { ...PENDING, page: 2 }],
    ['the answer date passed', BASE, { ...BASE, asOf: new Date('2026-11-24T09:00:00Z') }],
    ['a new name', BASE, withSolution({ name: 'Contoso Analytics Pro' })],
    ['another request', BASE, withSolution({ mergeRequest: { ...REQUEST, id: 'MR-20261121-BBBBB' } })],
    ['a new status', BASE, withSolution({ status: 'merged' })],
    ['support asked for more', BASE, withSolution({ mergeRequest: { ...REQUEST, state: 'infoRequested' } })],
    ['a later answer date', BASE, withSolution({ mergeRequest: { ...REQUEST, dueAt: new Date('2026-11-30T20:00:00Z') } })],
  ])('with %s, the row is drawn anew and matches a fresh drawing', (_, before, after) => {
    const shared = new SolutionRows();
    listOf(before, shared);
    const fresh = JSON.stringify(listOf(after, new SolutionRows()).content);
    expect(fresh).not.toBe(JSON.stringify(listOf(before, new SolutionRows()).content));
    expect(JSON.stringify(listOf(after, shared).content)).toBe(fresh);
    expect(shared.size).toBe(2);
  });

  test('the same row again is the kept one, frozen, and the card around it is new', () => {
    const rows = new SolutionRows();
    const first = listOf(BASE, rows);
    const second = listOf(BASE, rows);
    expect(rows.size).toBe(1);
    expect(second.content).not.toBe(first.content);
    const rowOf = (card: CardAttachment): unknown => {
      const body: unknown = card.content.body;
      return Array.isArray(body) ? body.find((element: { type?: unknown }) => element.type === 'Container') : undefined;
    };
    expect(rowOf(first)).toBeDefined();
    expect(rowOf(second)).toBe(rowOf(first));
    expect(Object.isFrozen(rowOf(first))).toBe(true);
  });

  test('holds no more than its capacity, forgetting the least recently shown', () => {
    const drawn: string[] = [];
    const rows = new CachedFragmentTemplate<{ name: string }>({ type: 'TextBlock', text: '${name}' }, 2);
    const show = (name: string) =>
      rows.render(name, () => {
        drawn.push(name);
        return { name };
      });
    for (const name of ['A', 'B', 'A', 'C', 'A', 'B']) show(name);
    // B was least recently shown when C came, so only B is drawn twice.
    expect(drawn).toEqual(['A', 'B', 'C', 'B']);
    expect(rows.size).toBe(2);
  });

  test('a name that looks like a template expression stays as typed', () => {
    const rows = new SolutionRows();
    const name = "${if(true,'a','b')} ${solution.id}";
    listOf(withSolution({ name }), rows);
    expect(textOf(listOf(withSolution({ name }), rows).content)).toContain(name);
  });
});
