import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Tests that start the bot as a separate process run what `npm start` runs: the compiled build. */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
