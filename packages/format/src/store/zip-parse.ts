/**
 * Parsers of the ZIP records in zip-format.ts. Every length read from a file is checked against
 * the bytes at hand before it is used, and problems are returned as reason strings (not thrown)
 * so that the scanner can fall back to an older central directory. Platform-neutral.
 */
import { keyProblem } from "./keys.js";
import {
  CENTRAL_HEADER_SIZE,
  DEFAULT_EXTERNAL_ATTRS,
  FLAG_UTF8,
  LOCAL_HEADER_SIZE,
  METHOD_STORED,
  SIG_CENTRAL,
  SIG_LOCAL,
  SIG_ZIP64_EOCD,
  SIG_ZIP64_LOCATOR,
  U16_MAX,
  U32_MAX,
  view,
  ZIP64_EXTRA_ID,
  type ZipEntry,
} from "./zip-format.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The parsed classic EOCD record at some offset. */
export interface Eocd {
  diskNumber: number;
  cdDisk: number;
  countOnDisk: number;
  count: number;
  cdSize: number;
  cdOffset: number;
  commentLength: number;
}

/**
 * Parses the 22 EOCD bytes in `b` (signature already matched). @example parseEocd(bytes)
 */
export function parseEocd(b: Uint8Array): Eocd {
  const v = view(b);
  return {
    diskNumber: v.getUint16(4, true),
    cdDisk: v.getUint16(6, true),
    countOnDisk: v.getUint16(8, true),
    count: v.getUint16(10, true),
    cdSize: v.getUint32(12, true),
    cdOffset: v.getUint32(16, true),
    commentLength: v.getUint16(20, true),
  };
}

/**
 * The ZIP64 EOCD values, or a reason why the 56 bytes in `b` are not a valid record.
 *
 * @example
 * const rec = parseZip64Eocd(bytes); if (typeof rec === "string") reject(rec);
 */
export function parseZip64Eocd(
  b: Uint8Array,
): { count: number; cdSize: number; cdOffset: number; recordSize: number } | string {
  const v = view(b);
  if (v.getUint32(0, true) !== SIG_ZIP64_EOCD) return "no ZIP64 end of central directory signature";
  const recordSize = u64(v, 4);
  const countOnDisk = u64(v, 24);
  const count = u64(v, 32);
  const cdSize = u64(v, 40);
  const cdOffset = u64(v, 48);
  if (recordSize === undefined || count === undefined || cdSize === undefined || cdOffset === undefined) {
    return "a ZIP64 field exceeds 2^53";
  }
  if (v.getUint32(16, true) !== 0 || v.getUint32(20, true) !== 0 || countOnDisk !== count) {
    return "multi-disk archives are not supported";
  }
  return { count, cdSize, cdOffset, recordSize };
}

/**
 * The offset of the ZIP64 EOCD record named by the 20 locator bytes in `b`, undefined when `b`
 * is no locator, or a reason when the offset is unusable.
 *
 * @example
 * const at = parseZip64Locator(bytes.subarray(eocdAt - 20, eocdAt));
 */
export function parseZip64Locator(b: Uint8Array): number | string | undefined {
  const v = view(b);
  if (v.getUint32(0, true) !== SIG_ZIP64_LOCATOR) return undefined;
  const offset = u64(v, 8);
  if (offset === undefined) return "ZIP64 locator offset exceeds 2^53";
  return offset;
}

/**
 * Parses `count` central directory headers filling exactly `cd` (which starts at file offset
 * `cdOffset`). Returns the entries that are usable as store keys (STORED or not; directory
 * entries "x/" and names that are not valid keys are skipped and counted), or a reason.
 * Names that are empty or contain NUL mark a torn directory (zero-filled blocks after a crash),
 * so they invalidate the whole directory rather than being skipped.
 *
 * @example
 * const r = parseCentralDirectory(cdBytes, cdOffset, 3); if (typeof r === "string") ...
 */
export function parseCentralDirectory(
  cd: Uint8Array,
  cdOffset: number,
  count: number,
): { entries: ZipEntry[]; skipped: number } | string {
  const v = view(cd);
  const entries: ZipEntry[] = [];
  let skipped = 0;
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const at = `entry ${i} at offset ${cdOffset + pos}`;
    if (pos + CENTRAL_HEADER_SIZE > cd.length) return `${at} runs past the central directory`;
    if (v.getUint32(pos, true) !== SIG_CENTRAL) return `${at} has no central directory signature`;
    const flags = v.getUint16(pos + 8, true);
    const method = v.getUint16(pos + 10, true);
    const dosTime = v.getUint16(pos + 12, true);
    const dosDate = v.getUint16(pos + 14, true);
    const crc = v.getUint32(pos + 16, true);
    const externalAttrs = v.getUint32(pos + 38, true) || DEFAULT_EXTERNAL_ATTRS;
    let compressedSize = v.getUint32(pos + 20, true);
    let size = v.getUint32(pos + 24, true);
    const n = v.getUint16(pos + 28, true);
    const e = v.getUint16(pos + 30, true);
    const k = v.getUint16(pos + 32, true);
    const diskStart = v.getUint16(pos + 34, true);
    let localOffset = v.getUint32(pos + 42, true);
    const end = pos + CENTRAL_HEADER_SIZE + n + e + k;
    if (end > cd.length) return `${at}: name/extra/comment lengths run past the central directory`;
    const nameBytes = cd.subarray(pos + CENTRAL_HEADER_SIZE, pos + CENTRAL_HEADER_SIZE + n);
    if (n === 0 || nameBytes.includes(0)) return `${at} has an empty name or a NUL in its name`;
    if (size === U32_MAX || compressedSize === U32_MAX || localOffset === U32_MAX || diskStart === U16_MAX) {
      const extra = cd.subarray(pos + CENTRAL_HEADER_SIZE + n, pos + CENTRAL_HEADER_SIZE + n + e);
      const z = findZip64Extra(extra);
      if (z === undefined) return `${at} needs a ZIP64 extra field and has none`;
      const zv = view(z);
      let x = 0;
      const next = (): number | undefined => {
        if (x + 8 > z.length) return undefined;
        const r = u64(zv, x);
        x += 8;
        return r;
      };
      if (size === U32_MAX) size = next() ?? -1;
      if (compressedSize === U32_MAX) compressedSize = next() ?? -1;
      if (localOffset === U32_MAX) localOffset = next() ?? -1;
      if (size < 0 || compressedSize < 0 || localOffset < 0) return `${at} has a short or oversized ZIP64 extra field`;
    } else if (diskStart !== 0) {
      return `${at} starts on disk ${diskStart}: multi-disk archives are not supported`;
    }
    if (method === METHOD_STORED && compressedSize !== size) {
      return `${at} is stored but its sizes differ (${compressedSize} vs ${size})`;
    }
    if (localOffset + LOCAL_HEADER_SIZE + n + compressedSize > cdOffset) {
      return `${at}: member at ${localOffset} (${compressedSize} bytes) overlaps the central directory at ${cdOffset}`;
    }
    pos = end;
    let name: string;
    try {
      name = utf8.decode(nameBytes);
    } catch {
      if (flags & FLAG_UTF8) return `${at} has a name flagged UTF-8 that is not valid UTF-8`;
      skipped++; // a legacy code-page name: not addressable as a key
      continue;
    }
    if (name.endsWith("/") || keyProblem(name) !== undefined) {
      skipped++; // directory entries and names like "../x" are never store keys
      continue;
    }
    entries.push({
      name,
      nameBytes: nameBytes.slice(),
      localOffset,
      size,
      compressedSize,
      crc32: crc,
      method,
      flags,
      dosTime,
      dosDate,
      externalAttrs,
      limit: cdOffset,
    });
  }
  if (pos !== cd.length)
    return `central directory at ${cdOffset} has ${cd.length - pos} bytes after its ${count} entries`;
  return { entries, skipped };
}

/**
 * Checks the local header at the start of `b` against its central directory entry and returns
 * the data offset, or a reason. `b` holds at least LOCAL_HEADER_SIZE + name length bytes.
 *
 * @example
 * const r = checkLocalHeader(headerBytes, entry); if (typeof r === "number") entry.dataOffset = r;
 */
export function checkLocalHeader(b: Uint8Array, e: ZipEntry): number | string {
  const at = `local header of ${JSON.stringify(e.name)} at offset ${e.localOffset}`;
  if (b.length < LOCAL_HEADER_SIZE + e.nameBytes.length) return `${at} is truncated`;
  const v = view(b);
  if (v.getUint32(0, true) !== SIG_LOCAL) return `${at} has no local header signature`;
  const n = v.getUint16(26, true);
  const x = v.getUint16(28, true);
  if (n !== e.nameBytes.length || !equalBytes(b.subarray(LOCAL_HEADER_SIZE, LOCAL_HEADER_SIZE + n), e.nameBytes)) {
    return `${at} names a different member`;
  }
  const dataOffset = e.localOffset + LOCAL_HEADER_SIZE + n + x;
  if (dataOffset + e.compressedSize > e.limit) return `${at}: data runs past offset ${e.limit}`;
  return dataOffset;
}

function findZip64Extra(extra: Uint8Array): Uint8Array | undefined {
  const v = view(extra);
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = v.getUint16(p, true);
    const len = v.getUint16(p + 2, true);
    if (p + 4 + len > extra.length) return undefined;
    if (id === ZIP64_EXTRA_ID) return extra.subarray(p + 4, p + 4 + len);
    p += 4 + len;
  }
  return undefined;
}

function u64(v: DataView, at: number): number | undefined {
  const big = v.getBigUint64(at, true);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(big);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
