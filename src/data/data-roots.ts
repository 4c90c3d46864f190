/**
 * The path policy for dataset files named in requests: every path must resolve (after following symlinks) inside
 * one of the configured data roots (the state directory is always one). A `..` segment is refused outright, so is
 * an absolute path elsewhere, and so is a symlink whose target leaves the roots. Globs (`*`, `?`) are allowed in
 * the file-name part only and expand in sorted order.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../errors/errors.js';

export class DataRoots {
  private realRoots: Promise<string[]> | undefined;

  constructor(private readonly roots: readonly string[]) {}

  get list(): readonly string[] {
    return this.roots;
  }

  /** Real paths of the files `p` names (one, or the matches of a glob). `base`: folder relative paths start from. */
  async resolve(p: string, field: string, base?: string): Promise<string[]> {
    if (!p) throw InvalidArgumentError.field(field, 'is empty');
    if (p.includes('\0')) throw InvalidArgumentError.field(field, 'contains a NUL byte');
    if (p.split(/[\\/]/).includes('..')) throw InvalidArgumentError.field(field, `"${p}" contains "..": paths must stay inside the data roots`);
    const roots = await this.real();
    const candidates = path.isAbsolute(p) ? [p] : base ? [path.join(base, p)] : this.roots.map((r) => path.resolve(r, p));
    for (const candidate of candidates) {
      const files = await expand(candidate);
      if (!files.length) continue;
      const real = await Promise.all(files.map((f) => fs.realpath(f)));
      for (const r of real) {
        if (!roots.some((root) => r === root || r.startsWith(root + path.sep))) {
          throw InvalidArgumentError.field(field, `"${p}" is outside the allowed data roots (${this.roots.join(', ')})`);
        }
      }
      return real;
    }
    throw InvalidArgumentError.field(field, `"${p}" does not exist under the allowed data roots`);
  }

  private real(): Promise<string[]> {
    this.realRoots ??= Promise.all(this.roots.map((r) => fs.realpath(r).catch(() => path.resolve(r))));
    return this.realRoots;
  }
}

async function expand(p: string): Promise<string[]> {
  const name = path.basename(p);
  if (!/[*?]/.test(name)) {
    try {
      await fs.access(p);
      return [p];
    } catch {
      return [];
    }
  }
  const dir = path.dirname(p);
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
}
