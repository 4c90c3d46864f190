/** TFRecord framing: uint64 LE length, masked CRC32C of those 8 bytes, payload, masked CRC32C of the payload. */
import { promises as fs } from 'node:fs';
import { maskedCrc32c } from './crc32c.js';

export const HEADER_BYTES = 12;
export const FOOTER_BYTES = 4;

export function encodeTfRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.length + FOOTER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(payload.length), true);
  view.setUint32(8, maskedCrc32c(out, 0, 8), true);
  out.set(payload, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + payload.length, maskedCrc32c(payload), true);
  return out;
}

/** Writes the records in order; a file handle rather than one big buffer so large fixtures stay cheap. */
export async function writeTfRecords(file: string, payloads: Iterable<Uint8Array>): Promise<void> {
  const fh = await fs.open(file, 'w');
  try {
    for (const p of payloads) await fh.write(encodeTfRecord(p));
  } finally {
    await fh.close();
  }
}
