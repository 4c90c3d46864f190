/**
 * Atomic publication on one filesystem: write beside the target, fsync, rename over it, fsync the folder.
 * A reader sees the old file or the new one, never half of one, and a kill -9 at any moment leaves at most a
 * stray temp entry (named `.tmp-*`, ignored by readers and swept by `removeStaleTemps`).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const TEMP_PREFIX = '.tmp-';

function tempSibling(target: string): string {
  return path.join(path.dirname(target), `${TEMP_PREFIX}${path.basename(target)}-${randomBytes(6).toString('hex')}`);
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempSibling(target);
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncPath(path.dirname(target));
}

/**
 * Creates folder `target` with the given files, all at once. Fails if `target` exists (a published version is
 * never overwritten).
 */
export async function writeDirAtomic(target: string, files: Record<string, Uint8Array | string>): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempSibling(target);
  await fs.mkdir(tmp);
  try {
    for (const [name, data] of Object.entries(files)) {
      const fh = await fs.open(path.join(tmp, name), 'w');
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    await fsyncPath(tmp);
    // rename(2) onto an existing non-empty folder fails with ENOTEMPTY/EEXIST, which is what we want.
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await fsyncPath(path.dirname(target));
}

/** Deletes temp entries left by a process that died mid-write. */
export async function removeStaleTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(
    names.filter((n) => n.startsWith(TEMP_PREFIX)).map((n) => fs.rm(path.join(dir, n), { recursive: true, force: true })),
  );
}
