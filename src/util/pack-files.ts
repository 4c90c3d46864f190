/**
 * A folder's files as one byte string and back, so a model version, a checkpoint folder or a dataset travels as
 * one blob that a database writes in one transaction. Layout: u32 little-endian header length, a JSON header
 * [{name, size}], then the files' bytes in header order. Names are flat or '/'-separated relative paths.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CorruptDataError } from '../errors/errors.js';

export function packFiles(files: Record<string, Uint8Array>): Uint8Array {
  const entries = Object.entries(files);
  const header = Buffer.from(JSON.stringify(entries.map(([name, data]) => ({ name, size: data.length }))));
  const out = new Uint8Array(4 + header.length + entries.reduce((n, [, d]) => n + d.length, 0));
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  let at = 4 + header.length;
  for (const [, data] of entries) {
    out.set(data, at);
    at += data.length;
  }
  return out;
}

export function unpackFiles(bytes: Uint8Array): Record<string, Uint8Array> {
  const bad = (why: string): never => {
    throw new CorruptDataError(`packed files: ${why}`);
  };
  if (bytes.length < 4) bad('shorter than its header');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + headerLength > bytes.length) bad('header runs past the end');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(4, 4 + headerLength)).toString('utf8'));
  } catch {
    bad('header is not JSON');
  }
  if (!Array.isArray(header)) return bad('header is not a list');
  const out: Record<string, Uint8Array> = {};
  let at = 4 + headerLength;
  for (const e of header as Array<{ name?: unknown; size?: unknown }>) {
    const { name, size } = e;
    if (typeof name !== 'string' || !isSafeRelative(name) || typeof size !== 'number' || !Number.isInteger(size) || size < 0) bad('malformed entry');
    if (at + (size as number) > bytes.length) bad(`${String(name)} runs past the end`);
    out[name as string] = bytes.subarray(at, at + (size as number));
    at += size as number;
  }
  if (at !== bytes.length) bad('trailing bytes');
  return out;
}

/** Every regular file under `dir`, by relative path. */
export async function readFiles(dir: string): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full).split(path.sep).join('/')] = await fs.readFile(full);
  }
  return out;
}

function isSafeRelative(name: string): boolean {
  return name.length > 0 && !name.startsWith('/') && name.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
