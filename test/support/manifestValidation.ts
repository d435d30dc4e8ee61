import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * What @microsoft/app-manifest finds wrong with a manifest or a manifest translation, checked against the schema it bundles
 * for the manifest's $schema (offline). In a child process: the package needs Node's own loader,
 * which Jest's module system does not offer on Node 20.
 */
export function manifestProblems(manifest: unknown): string[] {
  const program = `
    const { AppManifestUtils } = require('@microsoft/app-manifest');
    let input = '';
    process.stdin.on('data', (chunk) => (input += chunk));
    process.stdin.on('end', async () => {
      const json = JSON.parse(input);
      let problems;
      if (/Localization\\.schema\\.json$/.test(json.$schema)) {
        // Its patterns are not valid unicode regular expressions, which the package's own check compiles.
        const ajvPath = require.resolve('ajv-draft-04', { paths: [require.resolve('@microsoft/app-manifest')] });
        const Ajv = require(ajvPath).default;
        const validate = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false, validateFormats: false })
          .compile(await AppManifestUtils.fetchSchema(json.$schema));
        problems = validate(json) ? [] : validate.errors.map((e) => e.instancePath + ' ' + e.message + ' ' + JSON.stringify(e.params));
      } else {
        problems = await AppManifestUtils.validateAgainstSchema(json);
      }
      process.stdout.write(JSON.stringify(problems));
    });`;
  const run = spawnSync(process.execPath, ['-e', program], { cwd: ROOT, input: JSON.stringify(manifest), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}
