import { COMMAND_WORDS, MAX_VALUE_DEPTH, parseTurnInput, type InputActivity, type TurnInput } from '../../turn/input';

const BOT = { id: '28:bot' };

/** A list inside a list, `depth` levels of them, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

function parse(activity: InputActivity): TurnInput {
  return parseTurnInput({ type: 'message', recipient: BOT, ...activity }, COMMAND_WORDS);
}

describe('reading what the user asked for', () => {
  test.each<[string, InputActivity, TurnInput]>([
    ['a command in any case', { text: '  SOLUTIONS ' }, { kind: 'command', command: 'solutions' }],
    ['a command with a full stop', { text: 'help.' }, { kind: 'command', command: 'help' }],
    ['other text', { text: 'hello there' }, { kind: 'text', text: 'hello there' }],
    ['솔루션', { text: '솔루션' }, { kind: 'command', command: 'solutions' }],
    ['도움말', { text: '도움말.' }, { kind: 'command', command: 'help' }],
    ['취소', { text: ' 취소 ' }, { kind: 'command', command: 'cancel' }],
    ['구독', { text: '구독' }, { kind: 'command', command: 'subscribe' }],
    ['구독 취소', { text: '구독  취소' }, { kind: 'command', command: 'unsubscribe' }],
    ['구독취소', { text: '구독취소' }, { kind: 'command', command: 'unsubscribe' }],
    ['상태', { text: '상태' }, { kind: 'command', command: 'status' }],
    [
      'Korean text that only starts with a command',
      { text: '솔루션 목록 보여 줘' },
      { kind: 'text', text: '솔루션 목록 보여 줘' },
    ],
    ['language ko', { text: 'language ko' }, { kind: 'setLanguage', locale: 'ko-KR' }],
    ['LANG EN', { text: 'LANG EN' }, { kind: 'setLanguage', locale: 'en-US' }],
    ['언어 영어', { text: '언어 영어' }, { kind: 'setLanguage', locale: 'en-US' }],
    ['언어 한국어', { text: '언어 한국어' }, { kind: 'setLanguage', locale: 'ko-KR' }],
    ['한국어 alone', { text: '한국어' }, { kind: 'setLanguage', locale: 'ko-KR' }],
    ['English alone', { text: 'English.' }, { kind: 'setLanguage', locale: 'en-US' }],
    ['a tag alone is text, not a language', { text: 'ko' }, { kind: 'text', text: 'ko' }],
    ['a language the bot does not speak', { text: 'language fr' }, { kind: 'setLanguage', locale: undefined }],
    ['language alone', { text: 'language' }, { kind: 'setLanguage', locale: undefined }],
    ['a Korean name of another language', { text: '언어 프랑스어' }, { kind: 'setLanguage', locale: undefined }],
    ['an offer named after the word', { text: 'Language Tutor' }, { kind: 'text', text: 'Language Tutor' }],
    ['a sentence about language', { text: 'language of the listing' }, { kind: 'text', text: 'language of the listing' }],
    ['an empty message', { text: '   ' }, { kind: 'none' }],
    [
      'a channel message with the bot mentioned first',
      {
        text: '<at>Migration bot</at> subscribe',
        entities: [{ type: 'mention', text: '<at>Migration bot</at>', mentioned: BOT }],
      },
      { kind: 'command', command: 'subscribe' },
    ],
    ['a leading mention without its entity', { text: '<at>Bot</at>&nbsp;status' }, { kind: 'command', command: 'status' }],
    [
      'a mention of someone else stays',
      { text: '<at>Dana</at> solutions', entities: [{ type: 'mention', text: '<at>Dana</at>', mentioned: { id: '29:dana' } }] },
      { kind: 'command', command: 'solutions' },
    ],
    [
      'a button press',
      { value: { verb: 'beginMigration', solutionId: ' OCP-1 ', origin: 'list', page: '2' }, replyToId: 'card-7' },
      {
        kind: 'action',
        action: { verb: 'beginMigration', solutionId: 'OCP-1', origin: 'list', page: 2 },
        card: { activityId: 'card-7', origin: 'list', page: 2 },
      },
    ],
    ['a press without replyToId', { value: { verb: 'help' } }, { kind: 'action', action: { verb: 'help' }, card: {} }],
    ['an unknown verb', { value: { verb: 'format c:' } }, { kind: 'unknownVerb', verb: 'format c:' }],
    ['a verb that is not a string', { value: { verb: 42 } }, { kind: 'unknownVerb', verb: '42' }],
    [
      'data without a verb',
      { value: { solutionId: 'x' } },
      { kind: 'invalidAction', verb: '', problems: [{ field: 'verb', kind: 'missing' }] },
    ],
    [
      'a verb missing its id',
      { value: { verb: 'confirmDiscard' } },
      { kind: 'invalidAction', verb: 'confirmDiscard', problems: [{ field: 'solutionId', kind: 'missing' }] },
    ],
    [
      'an id of the wrong type',
      { value: { verb: 'undoDiscard', solutionId: { $ne: 1 } } },
      { kind: 'invalidAction', verb: 'undoDiscard', problems: [{ field: 'solutionId', kind: 'invalid' }] },
    ],
    [
      'a page that is not a page',
      { value: { verb: 'listSolutions', page: -3 } },
      { kind: 'invalidAction', verb: 'listSolutions', problems: [{ field: 'page', kind: 'invalid' }] },
    ],
    [
      'typed text that came with card data but no verb',
      { text: 'solutions', value: { x: 1 } },
      { kind: 'command', command: 'solutions' },
    ],
    ['a typing indicator', { type: 'typing' }, { kind: 'none' }],
    [
      'a verb nested 10,000 levels deep',
      { value: { verb: nested(10_000) } },
      { kind: 'invalidAction', verb: '', problems: [{ field: 'value', kind: 'invalid' }] },
    ],
    [
      'card data as deep as a card may carry',
      { value: { verb: 'help', extra: nested(MAX_VALUE_DEPTH - 2) } },
      { kind: 'action', action: { verb: 'help' }, card: {} },
    ],
  ])('%s', (_label, activity, expected) => {
    expect(parse(activity)).toEqual(expected);
  });

  test('an Action.Execute invoke carries its verb and data', () => {
    const input = parseTurnInput(
      {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'undoDiscard', data: { solutionId: 'OCP-9' } } },
      },
      COMMAND_WORDS,
    );
    expect(input).toEqual({ kind: 'action', action: { verb: 'undoDiscard', solutionId: 'OCP-9' }, card: {} });
  });
});
