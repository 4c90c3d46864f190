/** packFiles/unpackFiles: a folder as one blob and back, refusing anything malformed rather than writing it out. */
import { describe, expect, it } from 'vitest';
import { CorruptDataError } from '../../src/errors/errors.js';
import { packFiles, unpackFiles } from '../../src/util/pack-files.js';

describe('pack-files', () => {
  it('round-trips nested names, empty files and binary data', () => {
    const files = { 'model.json': Buffer.from('{"a":1}'), 'shards/x.tfrecord': new Uint8Array([0, 255, 7]), empty: new Uint8Array(0) };
    const back = unpackFiles(packFiles(files));
    expect(Object.keys(back)).toEqual(Object.keys(files));
    for (const [k, v] of Object.entries(files)) expect(Buffer.from(back[k]!).equals(Buffer.from(v))).toBe(true);
  });

  it('refuses truncated data, trailing bytes and unsafe names', () => {
    const packed = packFiles({ a: new Uint8Array([1, 2, 3]) });
    expect(() => unpackFiles(packed.subarray(0, packed.length - 1))).toThrow(CorruptDataError);
    expect(() => unpackFiles(Buffer.concat([packed, Buffer.from([0])]))).toThrow(/trailing/);
    for (const name of ['../x', '/etc/passwd', 'a//b', './a']) {
      expect(() => unpackFiles(packFiles({ [name]: new Uint8Array(1) }))).toThrow(/malformed entry/);
    }
    expect(() => unpackFiles(new Uint8Array([1]))).toThrow(CorruptDataError);
  });
});
