/**
 * Our weights format (tfjs has no file system I/O without tfjs-node): a magic, a JSON header with the
 * entries and a SHA-256 of the data section, then the raw little-endian arrays, 8-byte aligned. A file whose
 * checksum does not match is reported, never loaded.
 */
import { createHash } from 'node:crypto';
import { CorruptDataError } from '../errors/errors.js';

const MAGIC = 'TAANW001';

export type NamedArrays = Map<string, Float32Array | Float64Array>;

interface Entry {
  name: string;
  dtype: 'float32' | 'float64';
  length: number;
  offset: number;
}

interface Header {
  meta: unknown;
  entries: Entry[];
  sha256: string;
}

export function encodeTensorFile(arrays: NamedArrays, meta: unknown = {}): Uint8Array {
  const entries: Entry[] = [];
  let size = 0;
  for (const [name, a] of arrays) {
    entries.push({ name, dtype: a instanceof Float64Array ? 'float64' : 'float32', length: a.length, offset: size });
    size += align8(a.byteLength);
  }
  const data = new Uint8Array(size);
  let i = 0;
  for (const a of arrays.values()) {
    data.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), entries[i++]!.offset);
  }
  const header: Header = { meta, entries, sha256: sha256(data) };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLen = align8(headerBytes.length);
  const out = new Uint8Array(8 + 4 + 4 + headerLen + size);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, headerLen, true);
  out.fill(0x20, 16, 16 + headerLen);
  out.set(headerBytes, 16);
  out.set(data, 16 + headerLen);
  return out;
}

export function decodeTensorFile(bytes: Uint8Array, source: string): { arrays: NamedArrays; meta: unknown } {
  const bad = (why: string): CorruptDataError => new CorruptDataError(`corrupt weights file ${source}: ${why}`);
  if (bytes.length < 16 || Buffer.from(bytes.subarray(0, 8)).toString('ascii') !== MAGIC) throw bad('bad magic');
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (16 + headerLen > bytes.length) throw bad('truncated header');
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(16, 16 + headerLen)).toString('utf8')) as Header;
  } catch {
    throw bad('unreadable header');
  }
  const data = bytes.subarray(16 + headerLen);
  if (sha256(data) !== header.sha256) throw bad('checksum mismatch');
  const arrays: NamedArrays = new Map();
  for (const e of header.entries) {
    const width = e.dtype === 'float64' ? 8 : 4;
    if (e.offset + e.length * width > data.length) throw bad(`entry ${e.name} out of bounds`);
    // Copy into fresh aligned buffers (Buffer#slice would return a view of a possibly pooled buffer).
    const copy = new Uint8Array(e.length * width);
    copy.set(data.subarray(e.offset, e.offset + e.length * width));
    arrays.set(e.name, e.dtype === 'float64' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer));
  }
  return { arrays, meta: header.meta };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
