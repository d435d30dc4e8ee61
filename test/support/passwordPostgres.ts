import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { postgresRequired } from './postgres';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own, that checks passwords: the machine's own on 5432 trusts
 * every local connection, so a password sent there proves nothing. This one is made with the
 * installed server's initdb in a temporary folder, listens on a free port of 127.0.0.1 with
 * `scram-sha-256` for every TCP connection (pg_hba.conf as initdb writes it for --auth-host), and
 * lets only its own administrator in without one, over a Unix socket in that folder. As root,
 * initdb and the server run as the `postgres` user, as they refuse to run as root.
 */
export class PasswordPostgres {
  private constructor(
    private readonly dir: string,
    private readonly binDir: string,
    readonly port: number,
    private readonly asPostgres: boolean,
  ) {}

  static async start(): Promise<PasswordPostgres> {
    const found = findServer();
    if (!found.ok) throw new Error(found.reason);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-pg-'));
    const asPostgres = process.getuid?.() === 0;
    if (asPostgres) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: group } = await run('id', ['-g', 'postgres']);
      fs.chownSync(dir, Number(stdout.trim()), Number(group.trim()));
    }
    const cluster = new PasswordPostgres(dir, found.binDir, await freePort(), asPostgres);
    await cluster.tool('initdb', [
      '-D',
      cluster.dataDir,
      '-U',
      'admin',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--no-sync',
      '--encoding=UTF8',
      '--locale=C',
    ]);
    const options = [
      '-c listen_addresses=127.0.0.1',
      `-c port=${cluster.port}`,
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c max_connections=30',
    ].join(' ');
    await cluster.tool('pg_ctl', [
      '-D',
      cluster.dataDir,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      options,
      'start',
    ]);
    return cluster;
  }

  /** A URL for `role` over TCP, with no password: the caller gives it. */
  url(role: string, database: string): string {
    return `postgres://${role}@127.0.0.1:${this.port}/${database}`;
  }

  /** Runs SQL as the cluster's administrator, over its socket. */
  async admin<R extends pg.QueryResultRow>(sql: string, values: readonly unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ host: this.dir, port: this.port, user: 'admin', database: 'postgres' });
    await client.connect();
    try {
      return (await client.query<R>(sql, [...values])).rows;
    } finally {
      await client.end();
    }
  }

  /** A login role without a password yet, and a database it owns. */
  async createRole(role: string, database: string): Promise<void> {
    await this.admin(`CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN`);
    await this.admin(`CREATE DATABASE ${pg.escapeIdentifier(database)} OWNER ${pg.escapeIdentifier(role)}`);
  }

  /** What the server will take as `role`'s password from now on; the one before no longer works. */
  async setPassword(role: string, password: string): Promise<void> {
    await this.admin(`ALTER ROLE ${pg.escapeIdentifier(role)} PASSWORD ${pg.escapeLiteral(password)}`);
  }

  /** Ends every connection `role` has, as a server restart or a network cut would. */
  async disconnect(role: string): Promise<number> {
    const rows = await this.admin<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE usename = $1',
      [role],
    );
    return rows.filter((row) => row.ended).length;
  }

  /** Connections `role` holds now. */
  async connections(role: string): Promise<number> {
    const rows = await this.admin<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1', [role]);
    return rows[0]?.n ?? 0;
  }

  async stop(): Promise<void> {
    try {
      await this.tool('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  private async tool(name: string, args: readonly string[]): Promise<void> {
    const binary = path.join(this.binDir, name);
    const [command, commandArgs] = this.asPostgres ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, [...args]];
    await run(command, commandArgs, { cwd: this.dir });
  }
}

/** The newest installed server's programs: Debian's /usr/lib/postgresql/N/bin, or initdb on the PATH. */
function findServer(): { ok: true; binDir: string } | { ok: false; reason: string } {
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .filter((version) => fs.existsSync(path.join(debian, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  // eslint-disable-next-line no-restricted-properties -- where the tests' own tools are, not a bot setting
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && fs.existsSync(path.join(dir, 'initdb')));
  const binDir = versions[0] ? path.join(debian, versions[0], 'bin') : onPath[0];
  if (!binDir) return { ok: false, reason: 'no PostgreSQL server programs (initdb, pg_ctl) are installed' };
  if (process.getuid?.() === 0 && !fs.existsSync('/usr/sbin/runuser') && !fs.existsSync('/sbin/runuser')) {
    return { ok: false, reason: 'running as root, and no runuser to run initdb as postgres' };
  }
  return { ok: true, binDir };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `describe` for tests that need a cluster that checks passwords, or, when the server's programs are
 * missing, a skipped one saying so; REQUIRE_POSTGRES=1 (as .ci/run sets) makes that a failure instead.
 */
export function describeWithPasswordPostgres(name: string, body: () => void): void {
  const found = findServer();
  if (found.ok) describe(name, body);
  else if (postgresRequired())
    describe(name, () => {
      test('PostgreSQL server programs', () => {
        throw new Error(`${found.reason}, and REQUIRE_POSTGRES=1`);
      });
    });
  else describe.skip(`${name} (${found.reason})`, body);
}
