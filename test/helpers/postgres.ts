/**
 * A throwaway PostgreSQL cluster for the pg store tests: initdb into a temp dir, a server on a free loopback port
 * (and a Unix socket in the same dir, so it never touches /var/run/postgresql), fsync off because the data is
 * thrown away. stop()/start() keep the data, so tests can take the database away and bring it back.
 *
 * No PostgreSQL installed is an error, not a skip: CI installs Debian's `postgresql` (.ci/run), and a skipped
 * suite would let the pg stores break unnoticed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';

export interface PgServer {
  /** The `postgres` database as superuser `postgres` (trust auth on loopback). */
  url: string;
  /** Creates an empty database and returns its URL: one per test keeps tests independent. */
  createDatabase(): Promise<string>;
  /** Fast shutdown (connected sessions are terminated); the data stays for start(). */
  stop(): Promise<void>;
  /** Starts the server again on the same port. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes its files. */
  destroy(): Promise<void>;
}

/** The bin dir of the newest PostgreSQL under /usr/lib/postgresql (Debian's layout). */
export function findPgBin(): string {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT) : [];
  const found = versions
    .filter((v) => existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(path.join(PG_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  if (found.length === 0) {
    throw new Error(
      `PostgreSQL server binaries not found under ${PG_ROOT}/*/bin: the pg store tests need a real server. ` +
        "Install Debian's package (apt-get install postgresql), as .ci/run does.",
    );
  }
  return path.join(PG_ROOT, found[0]!, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PgServer> {
  const bin = findPgBin();
  const dir = await mkdtemp(path.join(tmpdir(), 'taan-pg-'));
  // PostgreSQL refuses to run as root: there, run its programs as the `postgres` user, who must own the dir.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const pgRun = async (program: string, args: string[]): Promise<void> => {
    const file = path.join(bin, program);
    const [cmd, cmdArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    await run(cmd, cmdArgs, { timeout: 90_000 });
  };
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const serverOptions = `-p ${port} -k '${dir}' -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;

  const start = async (): Promise<void> => {
    try {
      await pgRun('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', serverOptions, 'start']);
    } catch (err) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '';
      throw new Error(`could not start PostgreSQL in ${dir}: ${(err as Error).message}\n${tail}`);
    }
  };
  const stop = async (): Promise<void> => {
    await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };

  await pgRun('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  await start();

  let databases = 0;
  let running = true;
  return {
    url,
    async createDatabase() {
      databases += 1;
      const name = `test_${databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async restart() {
      await stop();
      await start();
    },
    async destroy() {
      if (running) await stop().catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
