/**
 * ZIP record layouts (APPNOTE.TXT 6.3): local file header, central directory header, end of
 * central directory (EOCD), ZIP64 EOCD record and locator, ZIP64 extra field. Only what a store
 * of STORED (uncompressed) members needs. Platform-neutral: used by ZipStore (Node) and
 * HttpZipStore (fetch). Every length read from a file is checked against the bytes at hand
 * before it is used, and problems are returned as reasons so that the scanner can fall back to
 * an older central directory.
 */
import { keyProblem } from "./keys.js";

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
export const ZIP64_EOCD_SIZE = 56;
export const ZIP64_LOCATOR_SIZE = 20;
/** The most bytes an EOCD (with the longest comment) and a ZIP64 locator occupy at the end. */
export const MAX_TAIL = EOCD_SIZE + 0xffff + ZIP64_LOCATOR_SIZE;

/** General purpose flag bit 11: the name is UTF-8. */
export const FLAG_UTF8 = 0x0800;
/** General purpose flag bit 3: sizes and CRC follow the data in a data descriptor. */
export const FLAG_DATA_DESCRIPTOR = 0x0008;
/** General purpose flag bit 0: the member is encrypted. */
export const FLAG_ENCRYPTED = 0x0001;
export const METHOD_STORED = 0;
/** Field values that mean "see the ZIP64 record". */
export const U16_MAX = 0xffff;
export const U32_MAX = 0xffffffff;
const ZIP64_EXTRA_ID = 0x0001;
/** Unix "version made by" (high byte 3) and 4.5, the version that introduced ZIP64. */
const MADE_BY = (3 << 8) | 45;
/** A regular file with mode 0644, as `unzip` expects in the external attributes of Unix entries. */
const DEFAULT_EXTERNAL_ATTRS = (0o100644 << 16) >>> 0;

/** One member as listed by a central directory (or appended by a writer). */
export interface ZipEntry {
  name: string;
  /** The name exactly as stored (UTF-8). */
  nameBytes: Uint8Array;
  localOffset: number;
  size: number;
  compressedSize: number;
  crc32: number;
  method: number;
  flags: number;
  dosTime: number;
  dosDate: number;
  externalAttrs: number;
  /** Offset of the first data byte, once known (written by us, or the local header was checked). */
  dataOffset?: number;
  /** No byte of the member may lie at or beyond this offset (the central directory that listed it). */
  limit: number;
}

const encoder = new TextEncoder();
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * UTF-8 bytes of a key.
 *
 * @example
 * encodeName("meta/sizes").length; // 10
 */
export function encodeName(name: string): Uint8Array {
  return encoder.encode(name);
}

/**
 * MS-DOS time and date fields for `date` (local time, 2-second resolution, 1980..2107).
 *
 * @example
 * dosDateTime(new Date(2024, 0, 2, 3, 4, 6)); // { dosTime: 0x1883, dosDate: 0x5822 }
 */
export function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  const year = date.getFullYear();
  if (year < 1980) return { dosTime: 0, dosDate: (1 << 5) | 1 };
  const y = Math.min(year, 2107) - 1980;
  return {
    dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    dosDate: (y << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * The local file header of a member (with a ZIP64 extra field when a size is >= 4 GiB - 1).
 * The member's data follows it directly: the data-descriptor flag is never set.
 *
 * @example
 * const header = encodeLocalHeader(entry); // 30 + name length (+ 20) bytes
 */
export function encodeLocalHeader(
  e: Pick<ZipEntry, "nameBytes" | "size" | "compressedSize" | "crc32" | "method" | "flags" | "dosTime" | "dosDate">,
): Uint8Array {
  const extraLen = localExtraLength(e);
  const zip64 = extraLen > 0;
  const out = new Uint8Array(LOCAL_HEADER_SIZE + e.nameBytes.length + extraLen);
  const v = view(out);
  v.setUint32(0, SIG_LOCAL, true);
  v.setUint16(4, zip64 ? 45 : 20, true);
  v.setUint16(6, e.flags & ~FLAG_DATA_DESCRIPTOR, true);
  v.setUint16(8, e.method, true);
  v.setUint16(10, e.dosTime, true);
  v.setUint16(12, e.dosDate, true);
  v.setUint32(14, e.crc32, true);
  v.setUint32(18, zip64 ? U32_MAX : e.compressedSize, true);
  v.setUint32(22, zip64 ? U32_MAX : e.size, true);
  v.setUint16(26, e.nameBytes.length, true);
  v.setUint16(28, extraLen, true);
  out.set(e.nameBytes, LOCAL_HEADER_SIZE);
  if (zip64) {
    const x = LOCAL_HEADER_SIZE + e.nameBytes.length;
    v.setUint16(x, ZIP64_EXTRA_ID, true);
    v.setUint16(x + 2, 16, true);
    v.setBigUint64(x + 4, BigInt(e.size), true);
    v.setBigUint64(x + 12, BigInt(e.compressedSize), true);
  }
  return out;
}

/**
 * The central directory header of `e`, with a ZIP64 extra field for values that do not fit 32 bits.
 *
 * @example
 * const cdPart = encodeCentralHeader(entry);
 */
export function encodeCentralHeader(e: ZipEntry): Uint8Array {
  const big: number[] = [];
  if (e.size >= U32_MAX) big.push(e.size);
  if (e.compressedSize >= U32_MAX) big.push(e.compressedSize);
  if (e.localOffset >= U32_MAX) big.push(e.localOffset);
  const extraLen = big.length > 0 ? 4 + 8 * big.length : 0;
  const out = new Uint8Array(CENTRAL_HEADER_SIZE + e.nameBytes.length + extraLen);
  const v = view(out);
  v.setUint32(0, SIG_CENTRAL, true);
  v.setUint16(4, MADE_BY, true);
  v.setUint16(6, big.length > 0 ? 45 : 20, true);
  v.setUint16(8, e.flags, true); // as in the local header (unzip warns when bit 11 differs)
  v.setUint16(10, e.method, true);
  v.setUint16(12, e.dosTime, true);
  v.setUint16(14, e.dosDate, true);
  v.setUint32(16, e.crc32, true);
  v.setUint32(20, Math.min(e.compressedSize, U32_MAX), true);
  v.setUint32(24, Math.min(e.size, U32_MAX), true);
  v.setUint16(28, e.nameBytes.length, true);
  v.setUint16(30, extraLen, true);
  // comment length, disk number start, internal attributes: 0
  v.setUint32(38, e.externalAttrs, true);
  v.setUint32(42, Math.min(e.localOffset, U32_MAX), true);
  out.set(e.nameBytes, CENTRAL_HEADER_SIZE);
  if (big.length > 0) {
    let x = CENTRAL_HEADER_SIZE + e.nameBytes.length;
    v.setUint16(x, ZIP64_EXTRA_ID, true);
    v.setUint16(x + 2, 8 * big.length, true);
    for (const n of big) {
      v.setBigUint64(x + 4, BigInt(n), true);
      x += 8;
    }
  }
  return out;
}

/**
 * The records that close an archive whose central directory of `count` entries occupies
 * [cdOffset, cdOffset + cdSize): a ZIP64 EOCD record and locator when any value needs 64 bits
 * (>= 65535 entries, offsets or sizes >= 4 GiB - 1), then the classic EOCD without comment.
 *
 * @example
 * const tail = encodeEnd(3, 1024, 180); // 22 bytes
 */
export function encodeEnd(count: number, cdOffset: number, cdSize: number): Uint8Array {
  const zip64 = count >= U16_MAX || cdOffset >= U32_MAX || cdSize >= U32_MAX;
  const out = new Uint8Array((zip64 ? ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE : 0) + EOCD_SIZE);
  const v = view(out);
  let p = 0;
  if (zip64) {
    const recordOffset = cdOffset + cdSize;
    v.setUint32(0, SIG_ZIP64_EOCD, true);
    v.setBigUint64(4, BigInt(ZIP64_EOCD_SIZE - 12), true);
    v.setUint16(12, MADE_BY, true);
    v.setUint16(14, 45, true);
    // disk numbers at 16 and 20: 0
    v.setBigUint64(24, BigInt(count), true);
    v.setBigUint64(32, BigInt(count), true);
    v.setBigUint64(40, BigInt(cdSize), true);
    v.setBigUint64(48, BigInt(cdOffset), true);
    v.setUint32(56, SIG_ZIP64_LOCATOR, true);
    v.setBigUint64(64, BigInt(recordOffset), true);
    v.setUint32(72, 1, true);
    p = ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE;
  }
  v.setUint32(p, SIG_EOCD, true);
  v.setUint16(p + 8, Math.min(count, U16_MAX), true);
  v.setUint16(p + 10, Math.min(count, U16_MAX), true);
  v.setUint32(p + 12, Math.min(cdSize, U32_MAX), true);
  v.setUint32(p + 16, Math.min(cdOffset, U32_MAX), true);
  return out;
}

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

/** The ZIP64 EOCD values, or a reason why the 56 bytes in `b` are not a valid record. */
export function parseZip64Eocd(b: Uint8Array): { count: number; cdSize: number; cdOffset: number; recordSize: number } | string {
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

/** The offset of the ZIP64 EOCD record named by the 20 locator bytes in `b`, or undefined when `b` is no locator. */
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
  if (pos !== cd.length) return `central directory at ${cdOffset} has ${cd.length - pos} bytes after its ${count} entries`;
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

/** The extra-field length our writer puts in a local header: a ZIP64 field when a size needs 64 bits. */
export function localExtraLength(e: Pick<ZipEntry, "size" | "compressedSize">): number {
  return e.size >= U32_MAX || e.compressedSize >= U32_MAX ? 20 : 0;
}

/** A fresh entry for a member a writer is about to append at `localOffset`. */
export function newEntry(name: string, size: number, crc: number, localOffset: number, date: Date): ZipEntry {
  const nameBytes = encodeName(name);
  return {
    name,
    nameBytes,
    localOffset,
    size,
    compressedSize: size,
    crc32: crc,
    method: METHOD_STORED,
    flags: FLAG_UTF8,
    ...dosDateTime(date),
    externalAttrs: DEFAULT_EXTERNAL_ATTRS,
    dataOffset: localOffset + LOCAL_HEADER_SIZE + nameBytes.length + localExtraLength({ size, compressedSize: size }),
    limit: Number.MAX_SAFE_INTEGER,
  };
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

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
