/**
 * A hand-written protobuf codec for tf.train.Example, the payload of YouTube-8M TFRecords:
 *   Example { Features features = 1 }   Features { map<string, Feature> feature = 1 }
 *   Feature { oneof { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3 } }
 * Only this schema is needed, so a generated protobuf runtime would be weight without benefit. Unknown fields
 * of any wire type are skipped (real records carry an empty field 2 at the end of the Example).
 */

export interface DecodedExample {
  bytes: Map<string, Uint8Array[]>;
  floats: Map<string, Float32Array>;
  /** int64 values as numbers: exact up to 2^53, far beyond label ids and counts. */
  ints: Map<string, number[]>;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Cursor {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  more(): boolean {
    return this.pos < this.end;
  }

  /** A 64-bit varint as a number, two's complement for negatives (int64 semantics). */
  varint(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if ((b & 0x80) === 0) return (hi | 0) * 4294967296 + (lo >>> 0);
    }
    throw new Error(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  tag(): { field: number; wire: number } {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (t < 0 || field < 1) throw new Error(`invalid field tag ${t} at byte ${this.pos}`);
    return { field, wire: t % 8 };
  }

  /** A length-delimited field's body as its own cursor. */
  sub(what: string): Cursor {
    const n = this.varint();
    if (n < 0 || this.pos + n > this.end) throw new Error(`${what}: length ${n} runs past the end of its message`);
    const c = new Cursor(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return c;
  }

  advance(n: number, what: string): number {
    const p = this.pos;
    if (p + n > this.end) throw new Error(`${what}: truncated at byte ${p}`);
    this.pos += n;
    return p;
  }

  skip(wire: number, field: number): void {
    const what = `field ${field}`;
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8, what);
    else if (wire === 2) this.sub(what);
    else if (wire === 5) this.advance(4, what);
    else if (wire === 3) {
      // Deprecated groups: skip nested fields until the matching end-group tag.
      for (;;) {
        if (!this.more()) throw new Error(`group ${field} is not closed`);
        const t = this.tag();
        if (t.wire === 4 && t.field !== field) throw new Error(`group ${field} closed by end-group ${t.field}`);
        if (t.wire === 4) return;
        this.skip(t.wire, t.field);
      }
    } else throw new Error(`invalid wire type ${wire} for ${what} at byte ${this.pos}`);
  }
}

function expectWire(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new Error(`${what} has wire type ${actual}, expected ${expected}`);
}

/** Decodes a serialized tf.train.Example; throws an Error describing the first malformation. */
export function decodeExample(payload: Uint8Array): DecodedExample {
  const out: DecodedExample = { bytes: new Map(), floats: new Map(), ints: new Map() };
  const c = new Cursor(payload, 0, payload.length);
  while (c.more()) {
    const { field, wire } = c.tag();
    if (field !== 1) {
      c.skip(wire, field);
      continue;
    }
    expectWire(wire, 2, 'Example.features');
    const features = c.sub('Example.features');
    while (features.more()) {
      const t = features.tag();
      if (t.field !== 1) {
        features.skip(t.wire, t.field);
        continue;
      }
      expectWire(t.wire, 2, 'Features.feature');
      decodeEntry(features.sub('Features.feature entry'), out);
    }
  }
  return out;
}

function decodeEntry(e: Cursor, out: DecodedExample): void {
  let key = '';
  let value: Cursor | undefined;
  while (e.more()) {
    const { field, wire } = e.tag();
    if (field === 1) {
      expectWire(wire, 2, 'feature key');
      const k = e.sub('feature key');
      key = utf8.decode(k.buf.subarray(k.pos, k.end));
    } else if (field === 2) {
      expectWire(wire, 2, 'feature value');
      value = e.sub('feature value');
    } else e.skip(wire, field);
  }
  // A later map entry with the same key replaces an earlier one, whatever its kind.
  out.bytes.delete(key);
  out.floats.delete(key);
  out.ints.delete(key);
  if (!value) return;
  let kind = 0;
  let body: Cursor | undefined;
  while (value.more()) {
    const { field, wire } = value.tag();
    if (field >= 1 && field <= 3) {
      expectWire(wire, 2, `feature '${key}' list`);
      kind = field;
      body = value.sub(`feature '${key}' list`);
    } else value.skip(wire, field);
  }
  if (!body) return;
  try {
    if (kind === 1) out.bytes.set(key, decodeBytesList(body));
    else if (kind === 2) out.floats.set(key, decodeFloatList(body));
    else out.ints.set(key, decodeInt64List(body));
  } catch (err) {
    throw new Error(`feature '${key}': ${(err as Error).message}`);
  }
}

function decodeBytesList(c: Cursor): Uint8Array[] {
  const values: Uint8Array[] = [];
  while (c.more()) {
    const { field, wire } = c.tag();
    if (field !== 1) {
      c.skip(wire, field);
      continue;
    }
    expectWire(wire, 2, 'bytes value');
    const v = c.sub('bytes value');
    values.push(c.buf.slice(v.pos, v.end)); // a copy: the record buffer is reused by the reader
  }
  return values;
}

function readFloats(buf: Uint8Array, pos: number, count: number): Float32Array {
  if (LITTLE_ENDIAN_HOST) return new Float32Array(buf.slice(pos, pos + 4 * count).buffer);
  const out = new Float32Array(count);
  const view = new DataView(buf.buffer, buf.byteOffset + pos, 4 * count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

function decodeFloatList(c: Cursor): Float32Array {
  const parts: Float32Array[] = [];
  while (c.more()) {
    const { field, wire } = c.tag();
    if (field !== 1) c.skip(wire, field);
    else if (wire === 2) {
      const p = c.sub('packed floats');
      const n = p.end - p.pos;
      if (n % 4 !== 0) throw new Error(`packed float list of ${n} bytes is not a multiple of 4`);
      parts.push(readFloats(c.buf, p.pos, n / 4));
    } else {
      expectWire(wire, 5, 'float value');
      parts.push(readFloats(c.buf, c.advance(4, 'float value'), 1));
    }
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function decodeInt64List(c: Cursor): number[] {
  const values: number[] = [];
  while (c.more()) {
    const { field, wire } = c.tag();
    if (field !== 1) c.skip(wire, field);
    else if (wire === 2) {
      const p = c.sub('packed int64s');
      while (p.more()) values.push(p.varint());
    } else {
      expectWire(wire, 0, 'int64 value');
      values.push(c.varint());
    }
  }
  return values;
}

// ---- Encoding (fixtures and tests) ----

export interface ExampleInput {
  bytes?: Record<string, Array<Uint8Array | string>>;
  floats?: Record<string, ArrayLike<number>>;
  ints?: Record<string, ArrayLike<number>>;
}

export interface EncodeOptions {
  /** Packed repeated scalars (what TensorFlow writes). Default true. */
  packed?: boolean;
  /** Append the empty field 2 that real YouTube-8M records end with. Default false. */
  trailingEmptyField?: boolean;
}

class Out {
  private readonly parts: number[] = [];
  varint(v: number): void {
    // Negative int64s take ten bytes of two's complement, as protobuf encodes them.
    let b = BigInt.asUintN(64, BigInt(v));
    for (; b >= 0x80n; b >>= 7n) this.parts.push(Number(b & 0x7fn) | 0x80);
    this.parts.push(Number(b));
  }
  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  bytesField(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    for (const b of data) this.parts.push(b);
  }
  float(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    for (const x of b) this.parts.push(x);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const utf8Encoder = new TextEncoder();

export function encodeExample(ex: ExampleInput, opts: EncodeOptions = {}): Uint8Array {
  const packed = opts.packed ?? true;
  const features = new Out();
  const entry = (key: string, kind: number, list: Out): void => {
    const feature = new Out();
    feature.bytesField(kind, list.done());
    const e = new Out();
    e.bytesField(1, utf8Encoder.encode(key));
    e.bytesField(2, feature.done());
    features.bytesField(1, e.done());
  };
  /** A repeated scalar field 1, packed into one length-delimited run or as one tagged value each. */
  const scalars = (values: ArrayLike<number>, wire: number, put: (o: Out, v: number) => void): Out => {
    const list = new Out();
    const body = packed ? new Out() : list;
    for (let i = 0; i < values.length; i++) {
      if (!packed) list.tag(1, wire);
      put(body, values[i]!);
    }
    if (packed) list.bytesField(1, body.done());
    return list;
  };
  for (const [key, values] of Object.entries(ex.bytes ?? {})) {
    const list = new Out();
    for (const v of values) list.bytesField(1, typeof v === 'string' ? utf8Encoder.encode(v) : v);
    entry(key, 1, list);
  }
  for (const [key, values] of Object.entries(ex.floats ?? {})) entry(key, 2, scalars(values, 5, (o, v) => o.float(v)));
  for (const [key, values] of Object.entries(ex.ints ?? {})) entry(key, 3, scalars(values, 0, (o, v) => o.varint(v)));
  const example = new Out();
  example.bytesField(1, features.done());
  if (opts.trailingEmptyField) example.bytesField(2, new Uint8Array(0));
  return example.done();
}
