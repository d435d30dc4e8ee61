import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * What @microsoft/app-manifest finds wrong with a manifest, checked against the schema it bundles
 * for the manifest's $schema (offline). In a child process: the package needs Node's own loader,
 * which Jest's module system does not offer on Node 20.
 */
export function manifestProblems(manifest: unknown): string[] {
  const program = `
    const { AppManifestUtils } = require('@microsoft/app-manifest');
    let input = '';
    process.stdin.on('data', (chunk) => (input += chunk));
    process.stdin.on('end', async () => {
      const problems = await AppManifestUtils.validateAgainstSchema(JSON.parse(input));
      process.stdout.write(JSON.stringify(problems));
    });`;
  const run = spawnSync(process.execPath, ['-e', program], { cwd: ROOT, input: JSON.stringify(manifest), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}
