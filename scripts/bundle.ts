import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { z } from 'zod';

/**
 * npm run bundle [-- --out FILE]: build/bot.zip, what the Web App runs from (WEBSITE_RUN_FROM_PACKAGE=1,
 * no build there): the compiled modules the bot loads, the lockfile's production dependencies
 * installed afresh with the SQLite addon built for this Node, and a package.json whose start
 * script runs it as is.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const ENTRY = 'bot/main.js';
const DEFAULT_OUT = path.join(ROOT, 'build', 'bot.zip');
/** Compiled code that is never the bot's: a runtime require of it is a mistake. */
const NOT_RUNTIME = ['test/', 'bench/', 'scripts/'];
/** Every entry gets this time, so that the same files make the same archive. */
const ENTRY_TIME = new Date(1980, 0, 1);

const packageSchema = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  license: z.string().optional(),
  main: z.string(),
  scripts: z.object({ start: z.string() }),
  dependencies: z.record(z.string(), z.string()),
});
type PackageJson = z.infer<typeof packageSchema>;

class BundleError extends Error {}

function readPackage(): { readonly raw: Record<string, unknown>; readonly parsed: PackageJson } {
  const raw = z.record(z.string(), z.unknown()).parse(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')));
  return { raw, parsed: packageSchema.parse(raw) };
}

/** The Node major the Web App runs: its linuxFxVersion in infra/modules/webApp.bicep. */
function webAppNodeMajor(): number {
  const bicep = fs.readFileSync(path.join(ROOT, 'infra', 'modules', 'webApp.bicep'), 'utf8');
  const major = /linuxFxVersion: 'NODE\|(\d+)-lts'/.exec(bicep)?.[1];
  if (!major) throw new BundleError("infra/modules/webApp.bicep names no linuxFxVersion 'NODE|<major>-lts'");
  return Number(major);
}

/** The package a bare specifier names: `pg` of `pg/lib/x`, `@azure/msal-node` of itself. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const found = [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')].find((candidate) => {
    const stat = fs.statSync(candidate, { throwIfNoEntry: false });
    return stat?.isFile() ?? false;
  });
  if (!found) throw new BundleError(`${path.relative(ROOT, from)} requires ${specifier}, which is not in dist/`);
  return found;
}

/**
 * The compiled files the bot loads, as dist-relative paths with their source maps: everything the
 * entry requires, followed through tsc's require("...") calls. The bot reads no other file of its
 * own from disk. A package it requires must be a production dependency.
 */
function runtimeFiles(dependencies: readonly string[]): string[] {
  const builtins = new Set(builtinModules);
  const seen = new Set<string>();
  const pending = [path.join(DIST, ENTRY)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const relative = path.relative(DIST, file);
    if (relative.startsWith('..') || NOT_RUNTIME.some((prefix) => relative.startsWith(prefix))) {
      throw new BundleError(`the bot requires ${path.relative(ROOT, file)}, which is not run-time code`);
    }
    if (!file.endsWith('.js')) continue;
    // tsc writes a static import's require with double quotes, a dynamic import()'s with single ones.
    for (const [, double, single] of fs.readFileSync(file, 'utf8').matchAll(/\brequire\((?:"([^"]+)"|'([^']+)')\)/g)) {
      const specifier = double ?? single ?? '';
      if (specifier.startsWith('.')) pending.push(resolveRelative(file, specifier));
      else if (!specifier.startsWith('node:') && !builtins.has(specifier) && !dependencies.includes(packageOf(specifier))) {
        throw new BundleError(`${path.relative(ROOT, file)} requires ${specifier}, which is not a production dependency`);
      }
    }
  }
  const files = [...seen].map((file) => path.relative(DIST, file));
  const maps = files.map((file) => `${file}.map`).filter((map) => fs.existsSync(path.join(DIST, map)));
  return [...files, ...maps].map((file) => file.split(path.sep).join('/'));
}

/** Runs a command, its output on our stderr (stdout stays for the summary); rejects unless it exits 0. */
function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 2, 2] });
    child.once('error', reject);
    child.once('close', (code, signal) =>
      code === 0 ? resolve() : reject(new BundleError(`${command} ${args.join(' ')} ended with ${signal ?? code}`)),
    );
  });
}

/**
 * The environment npm installs in: this Node first on PATH, so that install scripts and node-gyp
 * run on it; and, unless npm_config_nodedir says otherwise, its own headers when it has them, so
 * that node-gyp needs no download to build the addon for it.
 */
function installEnvironment(): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-restricted-properties -- the shell's environment for npm, not a bot setting
  const env = process.env;
  const bin = path.dirname(process.execPath);
  const headers = path.resolve(bin, '..');
  const ownHeaders = fs.existsSync(path.join(headers, 'include', 'node', 'node.h'));
  return {
    ...env,
    PATH: [bin, env.PATH ?? ''].join(path.delimiter),
    ...(env.npm_config_nodedir === undefined && ownHeaders && { npm_config_nodedir: headers }),
    npm_config_update_notifier: 'false',
  };
}

/** npm itself: the one running `npm run bundle` when there is one, else npm on PATH, on this Node either way. */
function npmCommand(env: NodeJS.ProcessEnv): { readonly command: string; readonly prefix: readonly string[] } {
  const cli = env.npm_execpath;
  return cli && /\.[cm]?js$/.test(cli) ? { command: process.execPath, prefix: [cli] } : { command: 'npm', prefix: [] };
}

/**
 * The lockfile's production tree, installed with `npm ci` in `staging` from package.json (its
 * allowScripts included, its own scripts left out: none of them is for an install without the
 * devDependencies), package-lock.json and .npmrc; then checked to load the SQLite addon on this Node.
 */
async function installProduction(staging: string, raw: Record<string, unknown>): Promise<void> {
  const withoutScripts = Object.fromEntries(Object.entries(raw).filter(([key]) => key !== 'scripts'));
  fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(withoutScripts, null, 2)}\n`);
  fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(staging, 'package-lock.json'));
  // yes=true: botbuilder-dialogs' install script runs npx, which would wait at its prompt.
  fs.copyFileSync(path.join(ROOT, '.npmrc'), path.join(staging, '.npmrc'));
  const env = installEnvironment();
  const npm = npmCommand(env);
  await run(npm.command, [...npm.prefix, 'ci', '--omit=dev', '--ignore-scripts=false', '--no-audit', '--no-fund'], {
    cwd: staging,
    env,
  });
  const check = "const Database = require('better-sqlite3'); new Database(':memory:').prepare('SELECT 1').get();";
  await run(process.execPath, ['-e', check], { cwd: staging, env });
}

interface FileEntry {
  /** Its path in the archive, with forward slashes. */
  readonly name: string;
  readonly source: string;
}

/**
 * The files of the installed node_modules, less what nothing loads at run time: .bin folders (links
 * to the packages' command-line tools) and what node-gyp leaves in a package's build/ besides the
 * addons in build/Release. Any other link is refused: an archive keeps none.
 */
function installedFiles(staging: string): FileEntry[] {
  const files: FileEntry[] = [];
  const walk = (relative: string): void => {
    const directory = path.join(staging, relative);
    const names = fs.readdirSync(directory);
    const builtHere = names.includes('binding.gyp');
    for (const name of names) {
      const child = path.join(relative, name);
      const stat = fs.lstatSync(path.join(staging, child));
      if (stat.isDirectory()) {
        if (name === '.bin') continue;
        if (builtHere && name === 'build') walkBuild(child);
        else walk(child);
      } else if (stat.isSymbolicLink()) {
        throw new BundleError(`${child} is a symbolic link, which the archive cannot hold`);
      } else if (stat.isFile()) {
        files.push({ name: child.split(path.sep).join('/'), source: path.join(staging, child) });
      }
    }
  };
  const walkBuild = (build: string): void => {
    const release = path.join(build, 'Release');
    const addons = fs.existsSync(path.join(staging, release)) ? fs.readdirSync(path.join(staging, release)) : [];
    for (const name of addons.filter((addon) => addon.endsWith('.node'))) {
      const child = path.join(release, name);
      if (fs.lstatSync(path.join(staging, child)).isFile()) {
        files.push({ name: child.split(path.sep).join('/'), source: path.join(staging, child) });
      }
    }
  };
  walk('node_modules');
  return files;
}

/** The bundle's package.json: the start script only (no prestart build), and the Node its addon is for. */
function bundlePackage(parsed: PackageJson): Buffer {
  const major = Number(process.versions.node.split('.')[0]);
  const bundled = {
    name: parsed.name,
    version: parsed.version,
    private: true,
    ...(parsed.description !== undefined && { description: parsed.description }),
    ...(parsed.license !== undefined && { license: parsed.license }),
    main: parsed.main,
    // The addon in node_modules loads on this Node major only.
    engines: { node: `${major}.x` },
    bundle: {
      node: process.version,
      abi: process.versions.modules,
      platform: `${process.platform}-${process.arch}`,
    },
    scripts: { start: parsed.scripts.start },
    dependencies: parsed.dependencies,
  };
  return Buffer.from(`${JSON.stringify(bundled, null, 2)}\n`);
}

/** Executable for its owner in the tree: 755 in the archive; 644 otherwise. */
function archiveMode(file: string): number {
  return fs.statSync(file).mode & 0o100 ? 0o100755 : 0o100644;
}

/** The archive, entries in name order with one time and normalised modes; written beside `out`, then moved there. */
async function writeZip(out: string, packageJson: Buffer, files: readonly FileEntry[]): Promise<void> {
  const zip = new ZipFile();
  const common = { mtime: ENTRY_TIME, forceDosTimestamp: true, compress: true };
  const entries: (FileEntry | { readonly name: string; readonly data: Buffer })[] = [
    { name: 'package.json', data: packageJson },
    ...files,
  ];
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if ('data' in entry) zip.addBuffer(entry.data, entry.name, { ...common, mode: 0o100644 });
    else zip.addFile(entry.source, entry.name, { ...common, mode: archiveMode(entry.source) });
  }
  zip.end();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.partial`;
  await pipeline(zip.outputStream, fs.createWriteStream(partial));
  fs.renameSync(partial, out);
}

function outPath(args: readonly string[]): string {
  if (args.length === 0) return DEFAULT_OUT;
  if (args.length === 2 && args[0] === '--out' && args[1]) return path.resolve(args[1]);
  throw new BundleError('usage: npm run bundle [-- --out FILE]');
}

async function main(): Promise<void> {
  const out = outPath(process.argv.slice(2));
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new BundleError(
      `the Web App is linux-x64, and the SQLite addon is built for this machine's ${process.platform}-${process.arch}`,
    );
  }
  const target = webAppNodeMajor();
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== target) {
    process.stderr.write(
      `warning: this is Node ${process.versions.node}, and the Web App runs Node ${target}: the SQLite addon in the bundle ` +
        `is built for Node ${major} and will not load there. Run npm run bundle on Node ${target} to deploy.\n`,
    );
  }
  if (!fs.existsSync(path.join(DIST, ENTRY))) throw new BundleError(`dist/${ENTRY} is missing: npm run build first`);
  const { raw, parsed } = readPackage();
  if (!parsed.scripts.start.split(/\s+/).includes(`dist/${ENTRY}`)) {
    throw new BundleError(`package.json's start script does not run dist/${ENTRY}, the one the bundle is made from`);
  }
  const compiled = runtimeFiles(Object.keys(parsed.dependencies)).map((file) => ({
    name: `dist/${file}`,
    source: path.join(DIST, file),
  }));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-bundle-'));
  try {
    await installProduction(staging, raw);
    const files = [...compiled, ...installedFiles(staging)];
    await writeZip(out, bundlePackage(parsed), files);
    const size = (fs.statSync(out).size / 2 ** 20).toFixed(1);
    process.stdout.write(
      `Wrote ${out.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, out) : out} (${files.length + 1} files, ${size} MiB; SQLite addon for Node ${major}, ${process.platform}-${process.arch})\n`,
    );
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  const why =
    error instanceof BundleError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`Bundling failed: ${why}\n`);
  process.exit(1);
});
