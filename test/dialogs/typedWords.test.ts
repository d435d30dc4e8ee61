import { readTyped } from '../../dialogs/typedWords';
import { buttonsOf, cardsOf, textOf } from '../support/cards';
import { DialogHarness, textsOf, type TurnOutput } from '../support/dialogHarness';

const FLEET = 'OCP-1042173';
const FAX = 'OCP-1041983';

/** Everything a turn showed, texts and cards, as one string; and the verbs of its buttons. */
function shown(output: TurnOutput): string {
  return [...textsOf(output), ...[...output.replies, ...output.updates].flatMap((a) => cardsOf(a).map(textOf))].join('\n');
}
function verbs(output: TurnOutput): string[] {
  return output.replies.flatMap((a) => cardsOf(a).flatMap((card) => buttonsOf(card).map((button) => String(button.data.verb))));
}

describe('typed words outside a flow', () => {
  let harness: DialogHarness;
  beforeEach(() => {
    harness = new DialogHarness();
  });
  afterEach(() => {
    expect(harness.cardProblems).toEqual([]);
    harness.close();
  });

  /** A conversation of one typed message: what it says, in which language, and what it must show. */
  test.each<[string, string, 'en-US' | 'ko-KR', RegExp, string | undefined]>([
    ['a solution ID', FLEET, 'en-US', /Contoso Fleet Telematics[\s\S]*Pending action/, 'beginMigration'],
    ['an ID in lower case', 'ocp-1042173', 'en-US', /Contoso Fleet Telematics/, 'beginMigration'],
    ['a name', 'Contoso Fleet Telematics', 'en-US', /Contoso Fleet Telematics[\s\S]*Pending action/, 'beginMigration'],
    ['part of a name', 'fleet telematics', 'en-US', /Contoso Fleet Telematics/, 'beginMigration'],
    ['a name with typos', 'Contso Fleet Telematcs', 'en-US', /Contoso Fleet Telematics/, 'beginMigration'],
    ['"status of" a name', 'status of Fleet Telematics?', 'en-US', /Contoso Fleet Telematics/, 'beginMigration'],
    ['"merge" and a name', 'merge Contoso Fleet Telematics', 'en-US', /Merge into a live offer/, 'selectOffer'],
    ['"discard" and a name', 'discard fleet telematics', 'en-US', /Discard this solution\?/, 'confirmDiscard'],
    ["what's pending", "What's pending?", 'en-US', /Solutions of Contoso Cloud Solutions/, 'beginMigration'],
    ['a greeting', 'hello', 'en-US', /Move your co-sell solutions from OCP GTM/, undefined],
    ['a Korean greeting', '안녕하세요', 'ko-KR', /Contoso Cloud Solutions의 관리자/, undefined],
    ['a name and 병합', 'Contoso Fleet Telematics 병합', 'ko-KR', /라이브 제품에 병합/, 'selectOffer'],
    ['a name and 상태', 'Fleet Telematics 상태', 'ko-KR', /Contoso Fleet Telematics/, 'beginMigration'],
    ['남은 솔루션', '남은 솔루션', 'ko-KR', /Contoso Cloud Solutions의 솔루션/, 'beginMigration'],
    ['undo alone', 'undo', 'en-US', /Type “undo” and the name of the discarded solution/, undefined],
    ['폐기 취소 alone', '폐기 취소', 'ko-KR', /“폐기 취소”와 함께 폐기한 솔루션의 이름/, undefined],
    [
      'a name many solutions share',
      'Contoso',
      'en-US',
      /More than one solution goes by “Contoso”: Contoso [^,]+ \(OCP-\d+\), /,
      undefined,
    ],
    ['"merge" and no such name', 'merge Northwind Widgets', 'en-US', /I found no solution called “northwind widgets”/, undefined],
    [
      'anything else',
      'the weather is nice',
      'en-US',
      /^I didn't catch that\nYou can type a solution's name or ID/,
      'listSolutions',
    ],
    ['anything else, in Korean', '날씨가 좋네요', 'ko-KR', /^무슨 말씀인지 잘 모르겠습니다\n솔루션의 이름이나 ID/, 'help'],
  ])('%s', async (_label, typed, locale, expected, verb) => {
    const output = await harness.send('demo-manager', typed, undefined, locale);
    expect(shown(output)).toMatch(expected);
    if (verb) expect(verbs(output)).toContain(verb);
  });

  test('"undo" and a discarded solution\'s name brings it back', async () => {
    const output = await harness.send('demo-manager', 'undo discard Contoso Legacy Fax Gateway');
    expect(shown(output)).toMatch(/Contoso Legacy Fax Gateway/);
    const row = harness.db.prepare<[string], { status: string }>('SELECT status FROM solutions WHERE id = ?').get(FAX);
    expect(row?.status).toBe('pendingAction');
  });

  test('a read-only member asking to merge is told why, and nothing changes', async () => {
    const output = await harness.send('demo-marketer', 'merge Contoso Fleet Telematics');
    expect(shown(output)).toMatch(/Marketer/);
    expect(verbs(output)).not.toContain('selectOffer');
  });
});

describe('readTyped', () => {
  test.each([
    ['Hi!', { kind: 'greeting' }],
    ['  WHAT IS LEFT ', { kind: 'pending' }],
    ['undo discard X', { kind: 'solution', intent: 'undo', name: 'x', named: true }],
    ['discard X', { kind: 'solution', intent: 'discard', name: 'x', named: true }],
    ['X 폐기 취소', { kind: 'solution', intent: 'undo', name: 'x', named: true }],
    ['X 폐기', { kind: 'solution', intent: 'discard', name: 'x', named: true }],
    ['merge', { kind: 'solution', intent: 'show', name: 'merge', named: false }],
    ['“Contoso Edge Vision”', { kind: 'solution', intent: 'show', name: 'contoso edge vision', named: false }],
  ])('%s', (typed, request) => {
    expect(readTyped(typed)).toEqual(request);
  });
});
