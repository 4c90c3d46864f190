/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing. Slicing-by-8: eight
 * tables let the loop consume 8 bytes per iteration, about 5x faster than the byte-wise loop on 5 KB records.
 */
const POLY = 0x82f63b78;

const TABLES: Uint32Array = (() => {
  const t = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c >>> 0;
  }
  for (let s = 1; s < 8; s++) {
    for (let i = 0; i < 256; i++) {
      const prev = t[(s - 1) * 256 + i]!;
      t[s * 256 + i] = ((prev >>> 8) ^ t[prev & 0xff]!) >>> 0;
    }
  }
  return t;
})();

/** CRC32C of `data[from, to)`; `crc` continues a previous value (0 to start). */
export function crc32c(data: Uint8Array, crc = 0, from = 0, to = data.length): number {
  const T = TABLES;
  let c = ~crc >>> 0;
  let i = from;
  const end8 = from + ((to - from) & ~7);
  for (; i < end8; i += 8) {
    const lo = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    const hi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    c =
      T[7 * 256 + (lo & 0xff)]! ^
      T[6 * 256 + ((lo >>> 8) & 0xff)]! ^
      T[5 * 256 + ((lo >>> 16) & 0xff)]! ^
      T[4 * 256 + (lo >>> 24)]! ^
      T[3 * 256 + (hi & 0xff)]! ^
      T[2 * 256 + ((hi >>> 8) & 0xff)]! ^
      T[256 + ((hi >>> 16) & 0xff)]! ^
      T[hi >>> 24]!;
  }
  for (; i < to; i++) c = T[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * TFRecord stores CRCs masked, because a CRC of data that itself embeds CRCs is weak; rotate by 15 and add a
 * constant (mod 2^32).
 */
export function maskCrc(c: number): number {
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export function maskedCrc32c(data: Uint8Array, from = 0, to = data.length): number {
  return maskCrc(crc32c(data, 0, from, to));
}
