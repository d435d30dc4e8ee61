import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, parseTeamsAppConfig } from '../../bot/config';
import { z } from 'zod';
import { buildAppPackage, translationProblems } from '../../manifest/appPackage';
import { COMMAND_WORDS, parseTurnInput } from '../../turn/input';
import { manifestProblems } from '../support/manifestValidation';
import { decodePng } from '../support/png';
import { unzip } from '../support/zipReader';

const ROOT = path.resolve(__dirname, '..', '..');
const BOT_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const HANGUL = /\p{Script=Hangul}/u;

function manifestOf(settings: ReturnType<typeof parseTeamsAppConfig>): {
  files: Map<string, Buffer>;
  manifest: Record<string, unknown>;
} {
  const files = unzip(buildAppPackage(path.join(ROOT, 'manifest'), settings, '1.4.2').zip);
  return { files, manifest: JSON.parse(files.get('manifest.json')!.toString('utf8')) as Record<string, unknown> };
}

describe('the Teams app package', () => {
  test('with only the bot id: a manifest that validates offline, with the bot, scopes, commands and icons', () => {
    const { files, manifest } = manifestOf(parseTeamsAppConfig({ MicrosoftAppId: BOT_ID }));
    expect([...files.keys()].sort()).toEqual(['color.png', 'ko-kr.json', 'manifest.json', 'outline.png']);
    expect(manifestProblems(manifest)).toEqual([]);
    expect(Number((manifest.manifestVersion as string).split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest).toMatchObject({
      id: BOT_ID,
      version: '1.4.2',
      accentColor: '#0F6CBD',
      icons: { color: 'color.png', outline: 'outline.png' },
      bots: [{ botId: BOT_ID, scopes: ['personal', 'team', 'groupChat'] }],
      validDomains: [],
    });
    const commands = (manifest.bots as { commandLists: { scopes: string[]; commands: { title: string }[] }[] }[])[0]!
      .commandLists;
    expect(commands.map((list) => [list.scopes, list.commands.map((command) => command.title)])).toEqual([
      [['personal'], ['solutions', 'help', 'language', 'cancel']],
      [
        ['team', 'groupChat'],
        ['solutions', 'subscribe', 'unsubscribe', 'status', 'help', 'language', 'cancel'],
      ],
    ]);
  });

  test('a Korean translation of the name, description and every command, each a command the bot takes', () => {
    const { files, manifest } = manifestOf(parseTeamsAppConfig({ MicrosoftAppId: BOT_ID }));
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en-us',
      additionalLanguages: [{ languageTag: 'ko-kr', file: 'ko-kr.json' }],
    });
    const korean = z.record(z.string(), z.string()).parse(JSON.parse(files.get('ko-kr.json')!.toString('utf8')));
    expect(manifestProblems(korean)).toEqual([]);
    const lists = z
      .array(z.object({ commandLists: z.array(z.object({ commands: z.array(z.object({ title: z.string() })) })) }))
      .parse(manifest.bots)[0]!.commandLists;
    const expectedKeys = ['$schema', 'name.short', 'name.full', 'description.short', 'description.full'];
    lists.forEach((list, i) =>
      list.commands.forEach((command, j) => {
        const prefix = `bots[0].commandLists[${i}].commands[${j}]`;
        expectedKeys.push(`${prefix}.title`, `${prefix}.description`);
        const title = korean[`${prefix}.title`]!;
        expect(title).toMatch(HANGUL);
        // What Teams sends when the Korean command is picked means what the English one does.
        expect(parseTurnInput({ type: 'message', text: title }, COMMAND_WORDS)).toEqual(
          parseTurnInput({ type: 'message', text: command.title }, COMMAND_WORDS),
        );
      }),
    );
    expect(Object.keys(korean).sort()).toEqual(expectedKeys.sort());
    for (const [key, value] of Object.entries(korean)) if (key !== '$schema') expect(value).toMatch(HANGUL);
    expect(translationProblems(manifest, korean)).toEqual([]);
  });

  test('a broken translation is caught, by the schema and by the package check', () => {
    const { files, manifest } = manifestOf(parseTeamsAppConfig({ MicrosoftAppId: BOT_ID }));
    const korean = z.record(z.string(), z.string()).parse(JSON.parse(files.get('ko-kr.json')!.toString('utf8')));
    const broken: Record<string, string> = {
      ...korean,
      'name.short': '가'.repeat(31),
      'bots[0].commandLists[0].commands[9].title': '없음',
    };
    delete broken['bots[0].commandLists[1].commands[0].description'];
    expect(manifestProblems(broken).join('\n')).toMatch(/name\.short/);
    expect(translationProblems(manifest, broken)).toEqual([
      'name.short: must be 1 to 30 characters',
      'bots[0].commandLists[0].commands[9].title: not a string of this manifest that Teams translates',
      'bots[0].commandLists[1].commands[0].description: not translated',
    ]);
  });

  test('the icons: a 192x192 color icon, and a 32x32 outline, white on transparent', () => {
    const { files } = manifestOf(parseTeamsAppConfig({ MicrosoftAppId: BOT_ID }));
    const color = decodePng(files.get('color.png')!);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(files.get('outline.png')!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let drawn = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a === 0) continue;
      drawn++;
      expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(drawn).toBeGreaterThan(50);
    expect(drawn).toBeLessThan(32 * 32);
  });

  test('settings fill the developer, links, color, app id and domains, and leave nothing to replace', () => {
    const settings = parseTeamsAppConfig({
      MicrosoftAppId: BOT_ID,
      TEAMS_APP_ID: 'a1b2c3d4-0000-4000-8000-000000000001',
      APP_DEVELOPER_NAME: 'Contoso Partner Ops',
      APP_WEBSITE_URL: 'https://partners.contoso.com/bot',
      APP_PRIVACY_URL: 'https://partners.contoso.com/privacy',
      APP_TERMS_URL: 'https://partners.contoso.com/terms',
      APP_ACCENT_COLOR: '#123ABC',
      BOT_DOMAIN: 'contoso-migration.azurewebsites.net, bots.contoso.com',
    });
    expect(settings.placeholders).toEqual([]);
    const { manifest } = manifestOf(settings);
    expect(manifestProblems(manifest)).toEqual([]);
    expect(manifest).toMatchObject({
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      developer: {
        name: 'Contoso Partner Ops',
        websiteUrl: 'https://partners.contoso.com/bot',
        privacyUrl: 'https://partners.contoso.com/privacy',
        termsOfUseUrl: 'https://partners.contoso.com/terms',
      },
      accentColor: '#123ABC',
      validDomains: ['contoso-migration.azurewebsites.net', 'bots.contoso.com'],
      bots: [{ botId: BOT_ID }],
    });
  });

  test('a manifest that breaks the schema is caught: the check can fail', () => {
    const { manifest } = manifestOf(parseTeamsAppConfig({ MicrosoftAppId: BOT_ID }));
    expect(manifestProblems({ ...manifest, accentColor: 'blue', bots: [{ scopes: ['everywhere'] }] }).length).toBeGreaterThan(0);
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ['no bot id', {}, /MicrosoftAppId: required to package the Teams app/],
    [
      'an http privacy link',
      { MicrosoftAppId: BOT_ID, APP_PRIVACY_URL: 'http://contoso.com/privacy' },
      /APP_PRIVACY_URL: must be an https URL/,
    ],
    ['a color name', { MicrosoftAppId: BOT_ID, APP_ACCENT_COLOR: 'blue' }, /APP_ACCENT_COLOR/],
    ['a URL for a domain', { MicrosoftAppId: BOT_ID, BOT_DOMAIN: 'https://contoso.com' }, /BOT_DOMAIN/],
  ])('refuses %s', (_label, env, message) => {
    expect(() => parseTeamsAppConfig(env)).toThrow(ConfigError);
    expect(() => parseTeamsAppConfig(env)).toThrow(message);
  });

  test('npm run package: with the bot id it writes build/appPackage.zip and warns about each default; without, it refuses', () => {
    const withId = spawnSync(process.execPath, ['dist/scripts/package.js'], {
      cwd: ROOT,
      env: { MicrosoftAppId: BOT_ID },
      encoding: 'utf8',
    });
    expect(withId.status).toBe(0);
    expect(withId.stdout).toMatch(/Wrote .*build[/\\]appPackage\.zip/);
    expect(withId.stderr.match(/^warning: /gm)).toHaveLength(5);
    expect(unzip(readFileSync(path.join(ROOT, 'build', 'appPackage.zip'))).has('manifest.json')).toBe(true);

    const without = spawnSync(process.execPath, ['dist/scripts/package.js'], { cwd: ROOT, env: {}, encoding: 'utf8' });
    expect(without.status).toBe(2);
    expect(without.stderr).toMatch(/MicrosoftAppId: required to package the Teams app/);
  });
});
