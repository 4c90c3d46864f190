/**
 * A streaming TFRecord reader: the file is read in chunks through one reusable buffer, so memory stays bounded
 * by the chunk size plus the largest record, whatever the file size. Both masked CRCs are checked before a
 * record is yielded, so a consumer never sees a partial or corrupt payload.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors/errors.js';
import { maskedCrc32c } from './crc32c.js';
import { FOOTER_BYTES, HEADER_BYTES } from './writer.js';

const CHUNK_BYTES = 1 << 20;
/** A length beyond this is taken as corruption rather than honoured with a huge allocation. */
const MAX_RECORD_BYTES = 1 << 30;

/** Yields each record's payload (a fresh copy, safe to keep). */
export async function* readTfRecords(file: string): AsyncGenerator<Uint8Array> {
  const name = path.basename(file);
  const fh = await fs.open(file, 'r');
  try {
    let buf = new Uint8Array(CHUNK_BYTES);
    let start = 0;
    let end = 0;
    let eof = false;

    /** Makes at least `n` unread bytes available; false if the file ends first. */
    const fill = async (n: number): Promise<boolean> => {
      if (end - start >= n) return true;
      if (start + n > buf.length) {
        // Compact the unread tail to the front; grow only for a record larger than the buffer.
        if (n > buf.length) {
          const bigger = new Uint8Array(n + CHUNK_BYTES);
          bigger.set(buf.subarray(start, end));
          buf = bigger;
        } else {
          buf.copyWithin(0, start, end);
        }
        end -= start;
        start = 0;
      }
      while (!eof && end - start < n) {
        const { bytesRead } = await fh.read(buf, end, buf.length - end, null);
        if (bytesRead === 0) eof = true;
        end += bytesRead;
      }
      return end - start >= n;
    };

    for (let index = 0; ; index++) {
      const corrupt = (what: string): InvalidArgumentError =>
        new InvalidArgumentError(`corrupt record ${index} in ${name}: ${what}`);
      if (!(await fill(1))) return;
      if (!(await fill(HEADER_BYTES))) throw corrupt('truncated length header');
      const view = new DataView(buf.buffer, buf.byteOffset + start, HEADER_BYTES);
      const length = view.getBigUint64(0, true);
      if (view.getUint32(8, true) !== maskedCrc32c(buf, start, start + 8)) throw corrupt('length CRC mismatch');
      if (length > BigInt(MAX_RECORD_BYTES)) throw corrupt(`record length ${length} is implausible`);
      const total = HEADER_BYTES + Number(length) + FOOTER_BYTES;
      if (!(await fill(total))) throw corrupt('truncated payload (file ends inside the record)');
      const p0 = start + HEADER_BYTES;
      const p1 = p0 + Number(length);
      const stored = new DataView(buf.buffer, buf.byteOffset + p1, FOOTER_BYTES).getUint32(0, true);
      if (stored !== maskedCrc32c(buf, p0, p1)) throw corrupt('payload CRC mismatch');
      const payload = buf.slice(p0, p1);
      start += total;
      yield payload;
    }
  } finally {
    await fh.close();
  }
}
