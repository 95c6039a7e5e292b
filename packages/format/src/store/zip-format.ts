/**
 * ZIP record layouts (APPNOTE.TXT 6.3) and their encoders: local file header, central directory
 * header, end of central directory (EOCD), ZIP64 EOCD record and locator, ZIP64 extra field.
 * Only what a store of STORED (uncompressed) members needs. Platform-neutral: used by ZipStore
 * (Node) and HttpZipStore (fetch). The parsers live in zip-parse.ts.
 */
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
export const ZIP64_EXTRA_ID = 0x0001;
/** Unix "version made by" (high byte 3) and 4.5, the version that introduced ZIP64. */
const MADE_BY = (3 << 8) | 45;
/** A regular file with mode 0644, as `unzip` expects in the external attributes of Unix entries. */
export const DEFAULT_EXTERNAL_ATTRS = (0o100644 << 16) >>> 0;

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

/**
 * The extra-field length our writer puts in a local header: a ZIP64 field when a size needs 64 bits.
 *
 * @example
 * localExtraLength({ size: 2 ** 32, compressedSize: 2 ** 32 }); // 20
 */
export function localExtraLength(e: Pick<ZipEntry, "size" | "compressedSize">): number {
  return e.size >= U32_MAX || e.compressedSize >= U32_MAX ? 20 : 0;
}

/**
 * A fresh entry for a STORED member a writer is about to append at `localOffset`.
 *
 * @example
 * const e = newEntry("meta/sizes", bytes.length, crc32(bytes), appendPos, new Date());
 */
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

/** A DataView over exactly the bytes of `b`. */
export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
