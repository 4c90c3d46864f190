/** SqliteJobStore: the shared contract on a file in a temp dir, plus what only a real file can show. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { schemaVersion, SqliteJobStore } from '../../src/store/sqlite-job-store.js';
import { describeJobStore, newJob } from './job-store.contract.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'taan-store-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describeJobStore('sqlite', async () => {
  const file = path.join(await tempDir(), 'jobs.db');
  return { store: SqliteJobStore.open(file), reopen: async () => SqliteJobStore.open(file) };
}, { persistent: true });

describeJobStore('sqlite :memory:', async () => ({ store: SqliteJobStore.open(':memory:') }));

/** Starts the child, SIGKILLs it as soon as it reports its job; resolves with what it printed. */
function createThenKill(dbPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const script = path.join(here, '../fixtures/store-child.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child ended without being killed (code ${code}): ${out} ${err}`));
    });
  });
}

describe('SqliteJobStore', () => {
  it('creates the folder of the file, passes its integrity check and records the schema version', async () => {
    const file = path.join(await tempDir(), 'a', 'b', 'jobs.db');
    const store = SqliteJobStore.open(file);
    await store.create(newJob(1), 10);
    expect(await store.integrityCheck()).toBe('ok');
    await store.close();
    expect(existsSync(file)).toBe(true);

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(schemaVersion).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
    // Opening again applies nothing twice.
    const again = SqliteJobStore.open(file);
    expect((await again.get('job-1'))?.state).toBe('QUEUED');
    await again.close();
  });

  it('refuses a file whose schema is newer than this code', async () => {
    const file = path.join(await tempDir(), 'jobs.db');
    await SqliteJobStore.open(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(schemaVersion + 1, 'future', '');
    db.close();
    expect(() => SqliteJobStore.open(file)).toThrow(/newer/);
  });

  it('takes transition times from the injected clock', async () => {
    const store = SqliteJobStore.open(':memory:', { clock: () => new Date('2030-05-06T07:08:09.000Z') });
    await store.create(newJob(1), 10);
    const rec = await store.transition('job-1', 'RUNNING', 'start');
    expect(rec.startTime).toBe('2030-05-06T07:08:09.000Z');
    expect(rec.transitions[1]?.time).toBe('2030-05-06T07:08:09.000Z');
    await store.close();
  });

  it('keeps a job whose create resolved in a process then killed with SIGKILL', async () => {
    const file = path.join(await tempDir(), 'jobs.db');
    const printed = await createThenKill(file);
    expect(printed).toBe('created crash-job\n');
    const store = SqliteJobStore.open(file);
    try {
      const job = await store.get('crash-job');
      expect(job).toMatchObject({ jobId: 'crash-job', submissionId: 'crash-sub', state: 'QUEUED' });
      expect(job?.transitions).toHaveLength(1);
      expect(await store.integrityCheck()).toBe('ok');
    } finally {
      await store.close();
    }
  });
});
