import fs from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../bot/config';
import { homePage } from '../../bot/homePage';
import { startTestApp, type TestApp } from '../support/testApp';

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('GET /', () => {
  let bot: TestApp | undefined;
  afterEach(async () => {
    await bot?.app.close();
    bot = undefined;
  });

  test('in development mode says where to point the Emulator and the Playground', async () => {
    bot = await startTestApp({ env: { ADMIN_TOKEN: 'an-admin-token-of-32-characters-or-more' } });
    const first = await fetch(`${bot.app.url}/`);
    const body = await first.text();
    const again = await (await fetch(`${bot.app.url}/`)).text();

    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toContain(`<code>${bot.app.url}/api/messages</code>`);
    expect(body).toContain(`npx agentsplayground start --app-endpoint ${bot.app.url}/api/messages`);
    expect(body).toMatch(/every 30 s/);
    expect(body).not.toMatch(/dev-notify-token|an-admin-token/);
    expect(again).toBe(body);
    expect(first.headers.get('cache-control')).toBe('no-store');
  });

  test('names the demo members of each role, and the favicon is the Teams app icon, with nothing logged as refused', async () => {
    const logLines: string[] = [];
    bot = await startTestApp({ env: { LOG_LEVEL: 'info' }, logLines });
    expect(await (await fetch(`${bot.app.url}/`)).text()).toMatch(/demo-owner[\s\S]*demo-marketer[\s\S]*only read/);
    const icon = await fetch(`${bot.app.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
    const color = fs.readFileSync(path.resolve(__dirname, '..', '..', 'manifest', 'color.png'));
    expect(Buffer.from(await icon.arrayBuffer()).equals(color)).toBe(true);
    expect(logLines.filter((line) => line.includes('request refused'))).toEqual([]);
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ['without demo data', { DEMO_DATA: 'off' }, /Demo data is off/],
    ['without the simulator', { CERTIFICATION_SIMULATOR: 'off' }, /delete its <code>DATA_DIR<\/code>/],
  ])('in development mode %s says so', (_label, env, expected) => {
    const page = homePage(parseConfig(env), 'http://127.0.0.1:3978');
    expect(page.body).toMatch(expected);
    expect(page.body).not.toMatch(/simulator moves/);
  });

  test('in production mode is one line of text, naming no endpoint or setting', () => {
    const page = homePage(
      parseConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' }),
      'http://10.0.0.4:3978',
    );
    expect(page.contentType).toBe('text/plain; charset=utf-8');
    expect(page.body.trim().split('\n')).toHaveLength(1);
    expect(page.body).not.toMatch(/api\/messages|10\.0\.0\.4|secret|Emulator/);
  });
});
