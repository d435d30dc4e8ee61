import type { LogFormat } from '../../bot/config';
import { createLogger, formatLogLine, logDestination, type LogOutput } from '../../bot/logger';

/** A stdout that keeps what is written, as a terminal (with or without colours) or a pipe. */
function output(kind: 'colour terminal' | 'plain terminal' | 'pipe'): LogOutput & { readonly written: string[] } {
  const written: string[] = [];
  return {
    written,
    ...(kind !== 'pipe' && { isTTY: true, hasColors: () => kind === 'colour terminal' }),
    write: (text: string) => written.push(text),
  };
}

const AT = new Date(2026, 10, 30, 9, 5, 7, 42).getTime();

describe('log format', () => {
  test.each<[LogFormat, 'colour terminal' | 'pipe', 'json' | 'pretty']>([
    ['auto', 'colour terminal', 'pretty'],
    ['auto', 'pipe', 'json'],
    ['json', 'colour terminal', 'json'],
    ['pretty', 'pipe', 'pretty'],
  ])('%s on a %s writes %s', (format, kind, expected) => {
    expect(logDestination(format, output(kind)) === undefined ? 'json' : 'pretty').toBe(expected);
  });

  test('pretty lines carry time, level, message and fields, and redaction still applies', () => {
    const out = output('plain terminal');
    const log = createLogger('info', logDestination('pretty', out));
    log.info({ url: 'http://127.0.0.1:3978', mode: 'development', config: { bot: { password: 'hunter2' } } }, 'bot listening');
    log.debug('not at info');
    expect(out.written).toHaveLength(1);
    expect(out.written[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}bot listening url=http:\/\/127\.0\.0\.1:3978 mode=development config=\{"bot":\{"password":"\[redacted\]"\}\}\n$/,
    );
    expect(out.written.join('')).not.toContain('hunter2');
  });

  test.each<[string, string, string]>([
    [
      'a warning with a quoted field',
      JSON.stringify({ level: 40, time: AT, service: 's', msg: 'request refused', reason: 'no token given' }),
      '09:05:07.042 WARN  request refused reason="no token given"\n',
    ],
    [
      'an error, its message in the fields and its stack below',
      JSON.stringify({
        level: 50,
        time: AT,
        msg: 'stop failed',
        err: { type: 'Error', message: 'store busy', stack: 'Error: store busy\n    at close (app.js:1:1)' },
      }),
      '09:05:07.042 ERROR stop failed err="Error: store busy"\n    at close (app.js:1:1)\n',
    ],
    ['a line that is not JSON', 'The bot could not start', 'The bot could not start\n'],
  ])('%s', (_label, line, expected) => {
    expect(formatLogLine(line, { color: false })).toBe(expected);
  });

  test('colours only on a terminal that has them', () => {
    const line = JSON.stringify({ level: 50, time: AT, msg: 'stop failed' });
    const coloured = output('colour terminal');
    const plain = output('plain terminal');
    logDestination('auto', coloured)?.write(line);
    logDestination('auto', plain)?.write(line);
    expect(coloured.written.join('')).toContain('\u001b[31mERROR\u001b[0m');
    expect(plain.written.join('')).not.toContain('\u001b[');
  });
});
