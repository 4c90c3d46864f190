import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c, maskCrc } from '../../src/data/tfrecord/crc32c.js';
import { decodeExample, encodeExample } from '../../src/data/tfrecord/example.js';
import { readTfRecords } from '../../src/data/tfrecord/reader.js';
import { encodeTfRecord, writeTfRecords } from '../../src/data/tfrecord/writer.js';
import { InvalidArgumentError } from '../../src/errors/errors.js';
import { Rng } from '../../src/util/rng.js';

let dir = '';
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tfrecord-test-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function randomBytes(rng: Rng, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rng.int(256));
}

/** Reads every record, keeping what was yielded before an error. */
async function drain(file: string): Promise<{ records: Uint8Array[]; error?: unknown }> {
  const records: Uint8Array[] = [];
  try {
    for await (const r of readTfRecords(file)) records.push(r);
  } catch (error) {
    return { records, error };
  }
  return { records };
}

function bytewiseCrc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('crc32c', () => {
  it('has the Castagnoli check value and matches a byte-wise reference at every alignment', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    const rng = new Rng(1);
    for (const n of [1, 7, 8, 9, 15, 16, 17, 63, 1000, 5003]) {
      const data = randomBytes(rng, n);
      expect(crc32c(data)).toBe(bytewiseCrc32c(data));
      expect(crc32c(data, 0, 3, n)).toBe(bytewiseCrc32c(data.subarray(3)));
      expect(crc32c(data.subarray(5), crc32c(data.subarray(0, 5)))).toBe(crc32c(data));
    }
  });

  it('masks as TFRecord does', () => {
    expect(maskCrc(0)).toBe(0xa282ead8);
    const c = 0x12345678;
    expect(maskCrc(c)).toBe((((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0);
  });
});

describe('TFRecord reader and writer', () => {
  const rng = new Rng(7);
  // Sizes straddle the reader's 1 MiB chunk and include an empty record and one larger than the chunk.
  const payloads = [0, 1, 12, 5000, 700_000, 3_000_000, 17, 900_000].map((n) => randomBytes(rng, n));

  it('round-trips records of any size', async () => {
    const file = path.join(dir, 'roundtrip.tfrecord');
    await writeTfRecords(file, payloads);
    const { records, error } = await drain(file);
    expect(error).toBeUndefined();
    expect(records).toHaveLength(payloads.length);
    records.forEach((r, i) => expect(Buffer.from(r).equals(Buffer.from(payloads[i]!))).toBe(true));
  });

  it('reads an empty file as no records', async () => {
    const file = path.join(dir, 'empty.tfrecord');
    await fs.writeFile(file, new Uint8Array(0));
    expect(await drain(file)).toEqual({ records: [] });
  });

  /** Writes the fixture records with one of them altered by `mutate`, returns the file. */
  async function corrupted(name: string, victim: number, mutate: (rec: Uint8Array) => Uint8Array): Promise<string> {
    const small = Array.from({ length: 6 }, (_, i) => randomBytes(rng, 100 + 37 * i));
    const parts = small.map((p, i) => (i === victim ? mutate(encodeTfRecord(p)) : encodeTfRecord(p)));
    const file = path.join(dir, name);
    await fs.writeFile(file, Buffer.concat(parts.slice(0, parts.length)));
    return file;
  }

  it('rejects a flipped payload byte, naming file and record, after yielding only whole earlier records', async () => {
    const file = await corrupted('payload.tfrecord', 2, (r) => {
      r[12 + 5]! ^= 0x40;
      return r;
    });
    const { records, error } = await drain(file);
    expect(records).toHaveLength(2);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe('corrupt record 2 in payload.tfrecord: payload CRC mismatch');
  });

  it('rejects a flipped length byte', async () => {
    const file = await corrupted('length.tfrecord', 3, (r) => {
      r[0]! ^= 0x01;
      return r;
    });
    const { records, error } = await drain(file);
    expect(records).toHaveLength(3);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/record 3 in length\.tfrecord: length CRC mismatch/);
  });

  it('rejects a flipped payload CRC byte', async () => {
    const file = await corrupted('footer.tfrecord', 0, (r) => {
      r[r.length - 1]! ^= 0x80;
      return r;
    });
    const { records, error } = await drain(file);
    expect(records).toHaveLength(0);
    expect((error as Error).message).toMatch(/record 0 in footer\.tfrecord: payload CRC mismatch/);
  });

  it('rejects a file truncated inside a payload or inside a header', async () => {
    const inPayload = await corrupted('trunc1.tfrecord', 5, (r) => r.subarray(0, r.length - 10));
    let { records, error } = await drain(inPayload);
    expect(records).toHaveLength(5);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/record 5 in trunc1\.tfrecord: truncated/);

    const inHeader = await corrupted('trunc2.tfrecord', 5, (r) => r.subarray(0, 7));
    ({ records, error } = await drain(inHeader));
    expect(records).toHaveLength(5);
    expect((error as Error).message).toMatch(/record 5 in trunc2\.tfrecord: truncated/);
  });

  it('rejects a missing payload CRC (file ends right after the payload)', async () => {
    const file = await corrupted('trunc3.tfrecord', 5, (r) => r.subarray(0, r.length - 4));
    const { records, error } = await drain(file);
    expect(records).toHaveLength(5);
    expect((error as Error).message).toMatch(/record 5 in trunc3\.tfrecord/);
  });
});

/** Hand-built protobuf pieces for unknown-field and malformation tests. */
const varint = (v: number): number[] => {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
};
const len = (field: number, body: number[]): number[] => [...varint(field * 8 + 2), ...varint(body.length), ...body];
const unknownFields = (field: number): number[] => [
  ...varint(field * 8 + 0), ...varint(300),
  ...varint((field + 1) * 8 + 1), 1, 2, 3, 4, 5, 6, 7, 8,
  ...len(field + 2, [9, 9, 9]),
  ...varint((field + 3) * 8 + 5), 1, 2, 3, 4,
  ...varint((field + 4) * 8 + 3), ...varint(1 * 8 + 0), 5, ...varint((field + 4) * 8 + 4),
];

describe('tf.train.Example codec', () => {
  const input = {
    bytes: { id: ['sxaO'] },
    floats: { mean_rgb: [0.5, -1.25, 3e-8], empty: [] },
    ints: { labels: [0, 1, 27, 611, 3861, 2 ** 40, -5] },
  };

  for (const packed of [true, false]) {
    it(`round-trips ${packed ? 'packed' : 'unpacked'} lists`, () => {
      const ex = decodeExample(encodeExample(input, { packed, trailingEmptyField: true }));
      expect(new TextDecoder().decode(ex.bytes.get('id')![0])).toBe('sxaO');
      expect(Array.from(ex.floats.get('mean_rgb')!)).toEqual([0.5, -1.25, Math.fround(3e-8)]);
      expect(ex.floats.get('empty')).toHaveLength(0);
      expect(ex.ints.get('labels')).toEqual(input.ints.labels);
    });
  }

  it('copies bytes values instead of aliasing the payload', () => {
    const payload = encodeExample({ bytes: { id: ['abcd'] } });
    const ex = decodeExample(payload);
    payload.fill(0);
    expect(new TextDecoder().decode(ex.bytes.get('id')![0])).toBe('abcd');
  });

  it('skips unknown fields of every wire type at every level', () => {
    const floatList = [...len(1, [0, 0, 0x80, 0x3f]), ...unknownFields(2)]; // packed [1.0]
    const feature = [...unknownFields(4), ...len(2, floatList), ...unknownFields(5)];
    const entry = [...len(1, [...new TextEncoder().encode('f')]), ...unknownFields(3), ...len(2, feature)];
    const features = [...unknownFields(2), ...len(1, entry)];
    const example = [...unknownFields(2), ...len(1, features), ...unknownFields(9), 0x12, 0x00];
    const ex = decodeExample(Uint8Array.from(example));
    expect(Array.from(ex.floats.get('f')!)).toEqual([1]);
  });

  it('merges packed chunks and single values of one list', () => {
    const floatList = [...len(1, [0, 0, 0x80, 0x3f]), ...varint(1 * 8 + 5), 0, 0, 0, 0x40];
    const intList = [...len(1, [1, 2]), ...varint(8), 3];
    const entry = (k: string, kind: number, list: number[]): number[] =>
      len(1, [...len(1, [...new TextEncoder().encode(k)]), ...len(2, len(kind, list))]);
    const ex = decodeExample(Uint8Array.from(len(1, [...entry('f', 2, floatList), ...entry('i', 3, intList)])));
    expect(Array.from(ex.floats.get('f')!)).toEqual([1, 2]);
    expect(ex.ints.get('i')).toEqual([1, 2, 3]);
  });

  it('describes malformed input', () => {
    const good = encodeExample(input);
    expect(() => decodeExample(good.subarray(0, good.length - 3))).toThrow(/past the end|truncated/);
    expect(() => decodeExample(Uint8Array.from([0x0f]))).toThrow(/wire type 7/);
    expect(() => decodeExample(Uint8Array.from([0x08, 0x01]))).toThrow(/Example.features has wire type 0/);
    expect(() => decodeExample(Uint8Array.from([0x10]))).toThrow(/truncated varint/);
    expect(() => decodeExample(Uint8Array.from([0x10, ...Array(11).fill(0x80)]))).toThrow(/varint/);
    const badFloats = len(1, len(1, [...len(1, [0x66]), ...len(2, len(2, len(1, [1, 2, 3])))]));
    expect(() => decodeExample(Uint8Array.from(badFloats))).toThrow(/feature 'f'.*multiple of 4/);
    expect(() => decodeExample(Uint8Array.from([0x13, 0x08, 0x01]))).toThrow(/group 2 is not closed/);
    expect(() => decodeExample(Uint8Array.from([0x11, 1, 2]))).toThrow(/field 2: truncated/);
  });
});
