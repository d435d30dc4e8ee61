import { buttonsOf, cardsOf, findButton, textOf } from '../support/cards';
import { DialogHarness, onlyCardOf, textsOf } from '../support/dialogHarness';

const PENDING = 'OCP-1042173';
const PENDING_NAME = 'Contoso Fleet Telematics';
const DISCARDED = 'OCP-1041983';
const MERGED = 'OCP-1041977';

describe('RootDialog', () => {
  let harness: DialogHarness;
  beforeEach(() => {
    harness = new DialogHarness();
  });
  afterEach(() => {
    expect(harness.cardProblems).toEqual([]);
    harness.close();
  });

  function statusOf(solutionId: string): string | undefined {
    const row = harness.db.prepare<[string], { status: string }>('SELECT status FROM solutions WHERE id = ?').get(solutionId);
    return row?.status;
  }

  describe('in Korean', () => {
    test.each<[string, string | Record<string, unknown>, RegExp]>([
      [
        'text outside a flow',
        '안녕하세요',
        /Jordan Park · Contoso Cloud Solutions의 관리자[\s\S]*마이그레이션을 결정할 수 있습니다/,
      ],
      ['솔루션', '솔루션', /Contoso Cloud Solutions의 솔루션[\s\S]*ID OCP-\d+/],
      ['도움말', '도움말', /도움 받기[\s\S]*입력할 수 있는 명령/],
      ['취소 with nothing to cancel', '취소', /취소할 작업이 없습니다/],
      ['Begin migration', { verb: 'beginMigration', solutionId: PENDING }, /이 솔루션을 어떻게 처리할지 선택하세요/],
      ['an unknown solution', { verb: 'beginMigration', solutionId: 'OCP-1' }, /ID가 OCP-1인 솔루션이 없습니다/],
      ['an unknown button', { verb: 'format c:' }, /이 버튼의 동작\(format c:\)을 알 수 없습니다/],
    ])('%s is answered in Korean', async (_label, input, expected) => {
      const output = await harness.send('demo-manager', input, undefined, 'ko-KR');
      const shown = [
        ...textsOf(output),
        ...[...output.replies, ...output.updates].flatMap((a) => cardsOf({ attachments: a.attachments }).map(textOf)),
      ];
      expect(shown.join('\n')).toMatch(expected);
      for (const activity of [...output.replies, ...output.updates]) {
        for (const card of cardsOf({ attachments: activity.attachments })) {
          for (const button of buttonsOf(card)) expect(button.title).toMatch(/\p{Script=Hangul}/u);
        }
      }
    });

    test('a discard confirmed by typing 네 is done, and told in Korean', async () => {
      await harness.send('demo-manager', { verb: 'chooseDiscard', solutionId: PENDING }, undefined, 'ko-KR');
      const output = await harness.send('demo-manager', '네', undefined, 'ko-KR');
      expect(textsOf(output).join(' ')).toBe(
        `“${PENDING_NAME}” 솔루션을 폐기했습니다. 카드의 폐기 취소를 누르면 되돌릴 수 있습니다.`,
      );
      expect(statusOf(PENDING)).toBe('discarded');
    });
  });

  describe('overview', () => {
    test.each([
      ['demo-manager', 'Jordan Park · Manager at Contoso Cloud Solutions', /can make migration decisions/],
      ['demo-marketer', 'Riley Han · Marketer at Contoso Cloud Solutions', /can view the solutions/],
      ['someone-new', 'someone-new · Manager at Contoso Cloud Solutions', /can make migration decisions/],
    ])('text outside a flow gets the overview for %s', async (userId, identity, roleNote) => {
      const output = await harness.send(userId, 'hi');
      const card = onlyCardOf(output.replies);
      expect(textOf(card)).toContain(identity);
      expect(textOf(card)).toMatch(roleNote);
      expect(textOf(card)).toMatch(/Cloud Partner Program membership[\s\S]*Active[\s\S]*Enrolled/);
      expect(buttonsOf(card).map((button) => button.data.verb)).toEqual(['listSolutions', 'help']);
    });

    test('a partner missing a prerequisite is told which and where to fix it', async () => {
      harness.db.prepare('UPDATE partner_accounts SET marketplace_enrolled = 0').run();
      const card = onlyCardOf((await harness.send('demo-owner', 'hello')).replies);
      expect(textOf(card)).toMatch(/Not enrolled[\s\S]*Enroll now/);
      expect(JSON.stringify(card)).toContain('https://learn.microsoft.com/partner-center/marketplace/create-account');
      expect(textOf(card)).not.toContain('Join the program');
    });
  });

  describe('solutions list', () => {
    test('pages of ten, pending action first, each with id, status and a line explaining it', async () => {
      const card = onlyCardOf((await harness.send('demo-manager', 'solutions')).replies);
      const text = textOf(card);
      expect(text).toContain('Page 1 of 2');
      expect(text).toContain('Contoso Fleet Telematics\nID OCP-1042173');
      expect(text).toContain('Waiting for a decision: 10 of 15');
      // The status and its explanation once, above the ten rows it stands for.
      expect(text.match(/Pending action/g)).toHaveLength(1);
      expect(text.match(/Needs a decision/g)).toHaveLength(1);
      const begin = buttonsOf(card).filter((button) => button.data.verb === 'beginMigration');
      expect(begin).toHaveLength(10);
      expect(begin.every((button) => button.title.startsWith('Begin migration: '))).toBe(true);
      expect(findButton(card, 'listSolutions', { page: 2 })).toBeDefined();
      expect(findButton(card, 'listSolutions', { page: 0 })).toBeUndefined();
    });

    test('the next page redraws the list card it was pressed on', async () => {
      const output = await harness.send('demo-manager', { verb: 'listSolutions', page: 2, origin: 'list' }, 'list-card-1');
      expect(output.replies).toEqual([]);
      expect(output.updates).toHaveLength(1);
      expect(output.updates[0]?.id).toBe('list-card-1');
      const text = textOf(onlyCardOf(output.updates));
      expect(text).toContain('Page 2 of 2');
      expect(text).toMatch(/Migrated as a draft[\s\S]*Awaiting a new offer[\s\S]*Merge requested[\s\S]*Merged[\s\S]*Discarded/);
      expect(findButton(onlyCardOf(output.updates), 'showSolution', { solutionId: DISCARDED })).toBeDefined();
    });

    test('a row pressed opens its solution on a card of its own, below the list, with what can be done', async () => {
      const list = onlyCardOf((await harness.send('demo-manager', { verb: 'listSolutions', page: 2 })).replies);
      const output = await harness.send(
        'demo-manager',
        findButton(list, 'showSolution', { solutionId: DISCARDED })!.data,
        'list-card',
      );
      expect(output.updates).toEqual([]);
      const card = onlyCardOf(output.replies);
      expect(textOf(card)).toMatch(/Contoso Legacy Fax Gateway[\s\S]*Discarded/);
      expect(buttonsOf(card).map((button) => button.data.verb)).toEqual(['undoDiscard', 'listSolutions']);
      expect(statusOf(DISCARDED)).toBe('discarded');
    });

    test('a row of a solution that is not there says so and changes nothing', async () => {
      const output = await harness.send('demo-manager', { verb: 'showSolution', solutionId: 'OCP-1' });
      expect(textsOf(output).join(' ')).toMatch(/There is no solution with ID OCP-1/);
    });

    test('a read-only role sees the list without decision buttons, and can open each row', async () => {
      const card = onlyCardOf((await harness.send('demo-marketer', 'solutions')).replies);
      const verbs = buttonsOf(card).map((button) => button.data.verb);
      expect(verbs.filter((verb) => verb !== 'showSolution')).toEqual(['listSolutions', 'help']);
      expect(verbs.filter((verb) => verb === 'showSolution')).toHaveLength(10);
    });

    test('with nothing pending the list says so and reminds to publish', async () => {
      harness.db.prepare("UPDATE solutions SET status = 'discarded' WHERE status = 'pendingAction'").run();
      const text = textOf(onlyCardOf((await harness.send('demo-manager', 'solutions')).replies));
      expect(text).toContain('No solutions are waiting for a decision');
      expect(text).toContain('make sure the migrated solutions are published');
    });
  });

  describe('discard and undo', () => {
    test('by buttons: options, confirm, discarded with Undo, undone — all on the card the options came on', async () => {
      const options = await harness.send(
        'demo-manager',
        { verb: 'beginMigration', solutionId: PENDING, origin: 'list', page: 1 },
        'list-card',
      );
      const optionsCard = onlyCardOf(options.replies);
      const optionsId = options.replies[0]?.id;
      expect(optionsId).toBeDefined();
      expect(options.updates).toEqual([]);
      expect(textOf(optionsCard)).toMatch(/A similar offer is already live[\s\S]*No similar offer yet[\s\S]*No longer relevant/);
      expect(buttonsOf(optionsCard).map((button) => button.data.verb)).toEqual([
        'chooseMerge',
        'chooseNoSimilarOffer',
        'chooseDiscard',
        'cancel',
      ]);

      const confirm = await harness.send('demo-manager', findButton(optionsCard, 'chooseDiscard')!.data, optionsId);
      expect(confirm.replies).toEqual([]);
      const confirmCard = onlyCardOf(confirm.updates);
      expect(confirm.updates[0]?.id).toBe(optionsId);
      expect(textOf(confirmCard)).toContain('Discard this solution?');
      expect(statusOf(PENDING)).toBe('pendingAction');

      const discarded = await harness.send('demo-manager', findButton(confirmCard, 'confirmDiscard')!.data, optionsId);
      const discardedCard = onlyCardOf(discarded.updates);
      expect(textOf(discardedCard)).toMatch(/Discarded[\s\S]*Discarded by Jordan Park on Nov 21, 2026/);
      expect(buttonsOf(discardedCard).map((button) => button.data.verb)).toEqual(['undoDiscard', 'listSolutions']);
      // The card drawn in place says it: no message repeats it below.
      expect(discarded.replies).toEqual([]);
      expect(statusOf(PENDING)).toBe('discarded');

      const undone = await harness.send('demo-manager', findButton(discardedCard, 'undoDiscard')!.data, optionsId);
      const undoneCard = onlyCardOf(undone.updates);
      expect(textOf(undoneCard)).toMatch(/Discard undone[\s\S]*Pending action/);
      expect(findButton(undoneCard, 'beginMigration', { solutionId: PENDING })).toBeDefined();
      expect(undone.replies).toEqual([]);
      expect(statusOf(PENDING)).toBe('pendingAction');
    });

    test('by typing: "discard" then "yes", each next step at the bottom, the card above finished', async () => {
      const options = await harness.send('demo-developer', { verb: 'beginMigration', solutionId: PENDING });
      const optionsId = options.replies[0]?.id;
      expect(optionsId).toBeDefined();
      const confirm = await harness.send('demo-developer', 'Discard');
      expect(textOf(onlyCardOf(confirm.replies))).toContain('Discard this solution?');
      expect(confirm.updates.map((update) => update.id)).toEqual([optionsId]);
      expect(textOf(onlyCardOf(confirm.updates))).toContain('Continued in a newer message below.');
      expect(buttonsOf(onlyCardOf(confirm.updates))).toEqual([]);
      const confirmId = confirm.replies[0]?.id;

      const done = await harness.send('demo-developer', 'yes');
      expect(textOf(onlyCardOf(done.replies))).toMatch(/Discarded/);
      expect(textsOf(done)).toEqual([`“${PENDING_NAME}” is discarded. Undo discard on its card brings it back.`]);
      expect(done.updates.map((update) => update.id)).toEqual([confirmId]);
      expect(statusOf(PENDING)).toBe('discarded');
    });

    test('a confirmation left unanswered does nothing once the flow has moved on', async () => {
      const confirm = await harness.send('demo-manager', { verb: 'chooseDiscard', solutionId: PENDING });
      const confirmCard = onlyCardOf(confirm.replies);
      const confirmId = confirm.replies[0]?.id;
      await harness.send('demo-manager', 'cancel');
      const late = await harness.send('demo-manager', findButton(confirmCard, 'confirmDiscard')!.data, confirmId);
      expect(textsOf(late)[0]).toMatch(/That card belongs to a task that has ended, so nothing was changed/);
      expect(statusOf(PENDING)).toBe('pendingAction');
    });

    test('answering no keeps the solution', async () => {
      await harness.send('demo-owner', { verb: 'chooseDiscard', solutionId: PENDING });
      const kept = await harness.send('demo-owner', 'no');
      expect(textsOf(kept)).toEqual([`“${PENDING_NAME}” was not discarded.`]);
      expect(statusOf(PENDING)).toBe('pendingAction');
    });

    test('an answer that is neither yes nor no is asked again', async () => {
      await harness.send('demo-owner', { verb: 'chooseDiscard', solutionId: PENDING });
      expect(textsOf(await harness.send('demo-owner', 'maybe'))).toEqual([
        'Press Discard or Keep it on the card, or type yes or no.',
      ]);
      await harness.send('demo-owner', 'yes');
      expect(statusOf(PENDING)).toBe('discarded');
    });

    test('Undo discard on a list card redraws that page', async () => {
      const output = await harness.send(
        'demo-manager',
        { verb: 'undoDiscard', solutionId: DISCARDED, origin: 'list', page: 2 },
        'list-card',
      );
      expect(output.updates[0]?.id).toBe('list-card');
      const card = onlyCardOf(output.updates);
      expect(textOf(card)).toContain('Page 2 of 2');
      expect(findButton(card, 'undoDiscard')).toBeUndefined();
      expect(statusOf(DISCARDED)).toBe('pendingAction');
    });
  });

  describe('refusals change nothing', () => {
    test.each(['demo-marketer', 'demo-business', 'demo-finance'])('%s: a crafted confirmDiscard is refused', async (userId) => {
      const output = await harness.send(userId, { verb: 'confirmDiscard', solutionId: PENDING });
      expect(textsOf(output).join(' ')).toMatch(/can view solutions but not change them, so nothing was changed/);
      expect(statusOf(PENDING)).toBe('pendingAction');
    });

    test.each([
      [
        'begin migration on a discarded solution',
        { verb: 'beginMigration', solutionId: DISCARDED },
        /There is no migration to begin for “Contoso Legacy Fax Gateway”: its status is Discarded/,
      ],
      ['discard a merged solution', { verb: 'confirmDiscard', solutionId: MERGED }, /can't be discarded: its status is Merged/],
      [
        'undo a discard that is not there',
        { verb: 'undoDiscard', solutionId: PENDING },
        /is not discarded \(its status is Pending action\), so there is nothing to undo/,
      ],
    ])('stale button on a solution card — %s: the card shows the current status', async (_label, data, reason) => {
      const before = statusOf(data.solutionId);
      const output = await harness.send('demo-manager', { ...data, origin: 'solution' }, 'stale-card');
      expect(textsOf(output).join(' ')).toMatch(reason);
      expect(output.updates.map((update) => update.id)).toEqual(['stale-card']);
      const card = onlyCardOf(output.updates);
      expect(textOf(card)).toMatch(/Status[\s\S]*(Discarded|Merged|Pending action)/);
      expect(buttonsOf(card).filter((button) => button.data.verb === data.verb)).toEqual([]);
      expect(statusOf(data.solutionId)).toBe(before);
    });

    test('stale Begin migration on a list card redraws the list page', async () => {
      const output = await harness.send(
        'demo-manager',
        { verb: 'beginMigration', solutionId: DISCARDED, origin: 'list', page: 2 },
        'list-card',
      );
      expect(output.updates.map((update) => update.id)).toEqual(['list-card']);
      expect(textOf(onlyCardOf(output.updates))).toContain('Page 2 of 2');
      expect(textsOf(output).join(' ')).toMatch(/There is no migration to begin/);
      // "Here is where it stands": the solution's own card follows the words.
      expect(textOf(onlyCardOf(output.replies))).toMatch(/Contoso Legacy Fax Gateway[\s\S]*Discarded/);
    });

    test.each([
      [
        'an unknown verb',
        { verb: 'deleteEverything' },
        "That button does something this bot doesn't know (deleteEverything). Nothing was changed.",
      ],
      [
        'a verb without its id',
        { verb: 'confirmDiscard' },
        "That button didn't carry what it needs (solutionId is missing). Nothing was changed.",
      ],
      [
        'an id that is no solution of the partner',
        { verb: 'confirmDiscard', solutionId: 'OCP-0000000' },
        'There is no solution with ID OCP-0000000 among the solutions of Contoso Cloud Solutions. Nothing was changed. Type solutions to see the list.',
      ],
    ])('%s gets a clear reply', async (_label, data, reply) => {
      const audit = harness.db.prepare('SELECT count(*) AS n FROM audit_entries');
      const before = audit.get();
      const output = await harness.send('demo-manager', data);
      expect(textsOf(output)).toEqual([reply]);
      expect(audit.get()).toEqual(before);
    });
  });

  describe('cancel and help', () => {
    test('cancel leaves the flow: a later "yes" discards nothing', async () => {
      await harness.send('demo-manager', { verb: 'chooseDiscard', solutionId: PENDING });
      expect(textsOf(await harness.send('demo-manager', 'cancel'))).toEqual(['Stopped. Nothing else was changed.']);
      const after = await harness.send('demo-manager', 'yes');
      const answer = onlyCardOf(after.replies);
      expect(textOf(answer)).toMatch(/^I didn't catch that\nYou can type a solution's name or ID/);
      expect(buttonsOf(answer).map((button) => button.data.verb)).toEqual(['listSolutions', 'help']);
      expect(statusOf(PENDING)).toBe('pendingAction');
    });

    test('Keep it on the confirmation card draws it finished, in place', async () => {
      const confirm = await harness.send('demo-manager', { verb: 'chooseDiscard', solutionId: PENDING });
      const confirmId = confirm.replies[0]?.id;
      const keep = findButton(onlyCardOf(confirm.replies), 'cancel')!;
      const output = await harness.send('demo-manager', keep.data, confirmId);
      expect(output.updates.map((update) => update.id)).toEqual([confirmId]);
      const card = onlyCardOf(output.updates);
      expect(textOf(card)).toMatch(/You stopped here\. Nothing was changed\.[\s\S]*Status now: Pending action/);
      expect(buttonsOf(card)).toEqual([]);
      expect(output.replies).toEqual([]);
    });

    test('Cancel on a card of no known flow shows that solution as it stands', async () => {
      const output = await harness.send('demo-manager', { verb: 'cancel', solutionId: PENDING, origin: 'solution' }, 'old-card');
      expect(output.updates.map((update) => update.id)).toEqual(['old-card']);
      expect(findButton(onlyCardOf(output.updates), 'beginMigration')).toBeDefined();
      expect(textsOf(output)).toEqual(['Stopped. Nothing else was changed.']);
    });

    test('cancel with nothing in progress says so', async () => {
      expect(textsOf(await harness.send('demo-manager', 'cancel'))).toEqual(['There is nothing to cancel.']);
    });

    test('help in the middle of a flow shows help and the flow carries on', async () => {
      await harness.send('demo-manager', { verb: 'chooseDiscard', solutionId: PENDING });
      const help = await harness.send('demo-manager', 'help');
      const card = onlyCardOf(help.replies);
      expect(textOf(card)).toMatch(/Get Help[\s\S]*Partner support/);
      expect(JSON.stringify(card)).toContain('https://partner.microsoft.com/support');
      await harness.send('demo-manager', 'yes');
      expect(statusOf(PENDING)).toBe('discarded');
    });

    test('a button for another solution replaces the flow in progress', async () => {
      await harness.send('demo-manager', { verb: 'chooseDiscard', solutionId: PENDING });
      await harness.send('demo-manager', { verb: 'beginMigration', solutionId: 'OCP-1042188' });
      const output = await harness.send('demo-manager', 'yes');
      expect(textsOf(output)).toEqual([
        'Choose one of the options on the card, or type merge, new offer or discard. Type cancel to stop.',
      ]);
      expect(statusOf(PENDING)).toBe('pendingAction');
    });
  });
});
