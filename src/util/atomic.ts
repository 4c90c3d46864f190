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

/**
 * mkdir -p that reports the real cause: Node's recursive mkdir says ENOENT where the filesystem said EROFS or
 * EACCES, which would tell an operator to look for a missing folder instead of a read-only mount.
 */
export async function mkdirp(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    // Create the missing folders one at a time: the first that fails throws the filesystem's own error.
    const missing: string[] = [];
    for (let d = dir; !(await exists(d)) && path.dirname(d) !== d; d = path.dirname(d)) missing.unshift(d);
    for (const d of missing) await fs.mkdir(d).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    });
  }
}

export async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(() => true, () => false);
}

export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  await mkdirp(path.dirname(target));
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
  await mkdirp(path.dirname(target));
  const tmp = tempSibling(target);
  await fs.mkdir(tmp);
  try {
    for (const [name, data] of Object.entries(files)) {
      if (name.includes('/')) await mkdirp(path.dirname(path.join(tmp, name)));
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

/**
 * Moves folder `src` to `target` atomically for readers of `target`. Across filesystems (a models volume apart
 * from the jobs folder) rename(2) fails with EXDEV: the folder is then copied beside the target and renamed in.
 */
export async function moveDirAtomic(src: string, target: string): Promise<void> {
  try {
    await fs.rename(src, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    const tmp = tempSibling(target);
    try {
      await fs.cp(src, tmp, { recursive: true, errorOnExist: true });
      for (const name of await fs.readdir(tmp)) await fsyncPath(path.join(tmp, name));
      await fsyncPath(tmp);
      await fs.rename(tmp, target);
    } catch (copyErr) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw copyErr;
    }
    await fs.rm(src, { recursive: true, force: true });
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

/**
 * Deletes folder `dir` so that readers see all of it or none of it: renamed to a temp sibling first (one rename),
 * then removed. A kill -9 mid-removal leaves only a temp entry, swept by removeStaleTemps at the next start.
 * Returns the bytes freed; 0 when `dir` did not exist.
 */
export async function removeDirAtomic(dir: string): Promise<number> {
  const tmp = tempSibling(dir);
  try {
    await fs.rename(dir, tmp);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  await fsyncPath(path.dirname(dir));
  const bytes = await treeBytes(tmp);
  await fs.rm(tmp, { recursive: true, force: true });
  return bytes;
}

/** Bytes of the files under `p` (a file or a folder); 0 when it does not exist. Entries vanishing meanwhile count 0. */
export async function treeBytes(p: string): Promise<number> {
  let st;
  try {
    st = await fs.lstat(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let names: string[];
  try {
    names = await fs.readdir(p);
  } catch {
    return 0;
  }
  let total = 0;
  for (const n of names) total += await treeBytes(path.join(p, n));
  return total;
}
