/**
 * Reading one member's bytes, shared by ZipStore and HttpZipStore. Platform-neutral.
 */
import { ColzError } from "../errors.js";
import { FLAG_ENCRYPTED, LOCAL_HEADER_SIZE, localExtraLength, METHOD_STORED, type ZipEntry } from "./zip-format.js";
import { checkLocalHeader } from "./zip-parse.js";

/** Reads exactly `length` bytes at `offset` of the archive. */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

/**
 * When a range starts this far into a member whose data offset is not yet known, the local
 * header is fetched on its own rather than together with the bytes before the range.
 */
const SPECULATIVE_GAP = 16 * 1024;

/**
 * The member's bytes [start, start + length) (clamped to its size), or the whole member with its
 * CRC-32 checked when `range` is omitted. The local header is checked (signature, same name,
 * in bounds) the first time and the data offset is cached on the entry. When the offset is not
 * known yet, header and data are read in one request (one HTTP round trip) by guessing that
 * the local extra field is the one our writer produces; a wrong guess costs a second read.
 * ERR_UNSUPPORTED for compressed or encrypted members, ERR_CORRUPT_META for a bad header,
 * ERR_CORRUPT_CHUNK for a CRC mismatch; messages name the key, the file and the offset.
 *
 * @example
 * const bytes = await readMember(readAt, entry, "t.zip", crc32);
 */
export async function readMember(
  readAt: ReadAt,
  entry: ZipEntry,
  description: string,
  crc: (bytes: Uint8Array) => number,
  range?: { start: number; length: number },
): Promise<Uint8Array> {
  if (entry.method !== METHOD_STORED || entry.flags & FLAG_ENCRYPTED) {
    const what = entry.flags & FLAG_ENCRYPTED ? "encrypted" : `compressed (method ${entry.method})`;
    throw new ColzError(
      "ERR_UNSUPPORTED",
      `member ${JSON.stringify(entry.name)} of ${description} is ${what}; only stored members can be read`,
    );
  }
  // A member too large for one buffer makes the allocation throw RangeError: report it as such.
  const read: ReadAt = async (offset, n) => {
    try {
      return await readAt(offset, n);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const what = `member ${JSON.stringify(entry.name)} of ${description}`;
      throw new ColzError("ERR_TOO_LARGE", `${what}: ${n} bytes do not fit in one buffer`, { cause: e });
    }
  };
  const start = Math.min(range?.start ?? 0, entry.size);
  const length = Math.min(range?.length ?? entry.size, entry.size - start);
  let data: Uint8Array | undefined;
  if (entry.dataOffset === undefined) {
    const guess = LOCAL_HEADER_SIZE + entry.nameBytes.length + localExtraLength(entry);
    const together = start <= SPECULATIVE_GAP && entry.localOffset + guess + start + length <= entry.limit;
    const span = together ? guess + start + length : Math.min(guess, entry.limit - entry.localOffset);
    const bytes = await read(entry.localOffset, span);
    const checked = checkLocalHeader(bytes, entry);
    if (typeof checked === "string") throw new ColzError("ERR_CORRUPT_META", `${description}: ${checked}`);
    entry.dataOffset = checked;
    // slice(): callers get a buffer of their own, not a view that starts inside the header.
    if (together && checked === entry.localOffset + guess) data = bytes.slice(guess + start, guess + start + length);
  }
  data ??= length === 0 ? new Uint8Array(0) : await read(entry.dataOffset + start, length);
  if (range === undefined && crc(data) !== entry.crc32) {
    throw new ColzError(
      "ERR_CORRUPT_CHUNK",
      `member ${JSON.stringify(entry.name)} of ${description} at offset ${entry.dataOffset} fails its CRC-32 check`,
    );
  }
  return data;
}

/**
 * The offset of the member's first data byte, checking its local header the first time
 * (ERR_CORRUPT_META naming the file and offset when it is wrong). Works for any method.
 *
 * @example
 * const at = await locateData(readAt, entry, "t.zip");
 */
export async function locateData(readAt: ReadAt, entry: ZipEntry, description: string): Promise<number> {
  if (entry.dataOffset !== undefined) return entry.dataOffset;
  const span = Math.min(LOCAL_HEADER_SIZE + entry.nameBytes.length, entry.limit - entry.localOffset);
  const checked = checkLocalHeader(await readAt(entry.localOffset, Math.max(0, span)), entry);
  if (typeof checked === "string") throw new ColzError("ERR_CORRUPT_META", `${description}: ${checked}`);
  entry.dataOffset = checked;
  return checked;
}
