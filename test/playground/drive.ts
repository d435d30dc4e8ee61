import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Drives the Microsoft 365 Agents Playground as a user would, against the real bot: a personal
 * chat (list, begin migration, discard, undo) and a team channel (@mention and subscribe), with a
 * screenshot after each step. Runs inside run.sh's network namespace.
 * Usage: node drive.js <playground url> <screenshot folder>
 */
const [PLAYGROUND_URL = 'http://localhost:56150/', SHOTS = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-shots-'))] =
  process.argv.slice(2);
const STEP_TIMEOUT_MS = 15_000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The Playground's compose box, and the root of each rendered Adaptive Card. */
const COMPOSER = '[role="textbox"][data-lexical-editor="true"]';
const CARD = '.ac-preview-panel > .ac-adaptiveCard';

async function main(): Promise<number> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 2000 },
  });
  try {
    return await run(context);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function run(context: BrowserContext): Promise<number> {
  // Beside the namespace: the page itself never asks anything beyond loopback.
  const blocked = new Set<string>();
  await context.route(
    (url) => !LOOPBACK.has(url.hostname),
    (route) => {
      blocked.add(new URL(route.request().url()).origin);
      return route.abort('internetdisconnected');
    },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));

  let shots = 0;
  const failures: string[] = [];
  const shoot = async (name: string): Promise<void> => {
    const file = path.join(SHOTS, `${String(++shots).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
  };
  const button = (title: string): Locator => page.locator(CARD).getByRole('button', { name: title, exact: true });
  // A list row is pressed as a whole; screen readers name it by what it does and to which solution.
  const rowToBegin = (): Locator => page.locator(CARD).getByRole('button', { name: /^Begin migration: / });
  const step = async (name: string, action: () => Promise<void>): Promise<void> => {
    const started = Date.now();
    try {
      await action();
      await shoot(name);
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (error: unknown) {
      failures.push(name);
      console.log(`FAIL ${name}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
      await shoot(`failed-${name}`).catch(() => undefined);
    }
  };
  const say = async (target: Page, text: string): Promise<void> => {
    await target.locator(COMPOSER).first().click();
    await target.keyboard.type(text);
    await target.getByRole('button', { name: 'Send Message' }).click();
  };

  await step('personal-welcome', async () => {
    await page.goto(PLAYGROUND_URL);
    await page.locator(CARD).first().waitFor();
  });
  await step('personal-solutions', async () => {
    await say(page, 'solutions');
    await rowToBegin().nth(9).waitFor();
    await page.getByText('Solutions of Contoso Cloud Solutions').first().waitFor();
  });
  await step('personal-begin-migration', async () => {
    await rowToBegin().first().click();
    await button('Discard this solution').waitFor();
  });
  await step('personal-confirm-discard', async () => {
    await button('Discard this solution').click();
    await button('Discard').waitFor();
    await page.getByText('Discard this solution?').first().waitFor();
  });
  await step('personal-discarded', async () => {
    await button('Discard').click();
    await button('Undo discard').waitFor();
  });
  await step('personal-undo-discard', async () => {
    // Action.Execute: the Playground sends adaptiveCard/action and draws the card the bot answers with.
    await button('Undo discard').click();
    await page.getByText('Discard undone').first().waitFor();
    await button('Undo discard').waitFor({ state: 'detached' });
  });
  await step('channel-open', async () => {
    await page.getByRole('treeitem', { name: 'My Team - General' }).click();
    await page.getByRole('button', { name: 'Post', exact: true }).waitFor();
  });
  await step('channel-mention-typed', async () => {
    await page.locator(COMPOSER).first().click();
    await page.keyboard.type('@Test');
    await page.getByRole('menuitem', { name: 'Test Bot' }).click();
    await page.keyboard.type(' subscribe');
    await page.locator('span.mention', { hasText: 'Test Bot' }).waitFor();
  });
  await step('channel-subscribed', async () => {
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page
      .getByText(/now hears about the certification of the offers of Contoso Cloud Solutions/)
      .first()
      .waitFor();
  });

  console.log(`screenshots: ${SHOTS}`);
  console.log(`requests beyond loopback, refused in the browser: ${[...blocked].join(', ') || 'none'}`);
  console.log(failures.length > 0 ? `FAILED: ${failures.join(', ')}` : 'all steps passed');
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
