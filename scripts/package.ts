import fs from 'node:fs';
import path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { z } from 'zod';
import { ConfigError, loadTeamsAppConfig, type TeamsAppSettings } from '../bot/config';
import { buildAppPackage, localizationFiles, translationProblems } from '../manifest/appPackage';

/** npm run package: build/appPackage.zip, from the same settings the bot reads. */
async function main(): Promise<void> {
  let settings: TeamsAppSettings;
  try {
    settings = loadTeamsAppConfig();
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Cannot package the Teams app.\n${error.message}\n`);
    process.exit(2);
  }
  const { version } = z.object({ version: z.string() }).parse(JSON.parse(fs.readFileSync('package.json', 'utf8')));
  const built = buildAppPackage(path.resolve('manifest'), settings, version);
  // The validator checks the object against the schema its $schema names; its parameter type is that schema's.
  const problems = await AppManifestUtils.validateAgainstSchema(built.manifest as unknown as AppManifest);
  for (const file of localizationFiles(built.manifest)) {
    const translation: unknown = JSON.parse(fs.readFileSync(path.resolve('manifest', file), 'utf8'));
    problems.push(...translationProblems(built.manifest, translation).map((problem) => `${file}: ${problem}`));
  }
  if (problems.length > 0) {
    process.stderr.write(`The manifest or a translation of it is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  fs.mkdirSync('build', { recursive: true });
  const out = path.resolve('build', 'appPackage.zip');
  fs.writeFileSync(out, built.zip);
  for (const placeholder of settings.placeholders) {
    process.stderr.write(`warning: ${placeholder}: a default, to replace before publishing the app\n`);
  }
  process.stdout.write(`Wrote ${out} (Teams app ${settings.appId}, bot ${settings.botId}, version ${version})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Packaging failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
