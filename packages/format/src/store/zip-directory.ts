/**
 * Finding the last committed state of a ZIP store: the last end-of-central-directory record
 * (EOCD) whose central directory (CD) is complete and consistent. Platform-neutral: it reads
 * through a ByteSource (a file handle in Node, Range requests over HTTP).
 */
import { ColzError } from "../errors.js";
import {
  EOCD_SIZE,
  MAX_TAIL,
  SIG_EOCD,
  SIG_LOCAL,
  U16_MAX,
  U32_MAX,
  ZIP64_EOCD_SIZE,
  ZIP64_LOCATOR_SIZE,
  type ZipEntry,
} from "./zip-format.js";
import { parseCentralDirectory, parseEocd, parseZip64Eocd, parseZip64Locator } from "./zip-parse.js";

/** Random access to the bytes of one file. */
export interface ByteSource {
  /** Names the file in error messages. */
  readonly description: string;
  /** The file's length in bytes. */
  readonly size: number;
  /** Exactly `length` bytes at `offset`; callers guarantee offset + length <= size. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** The state a central directory describes. */
export interface ZipCommit {
  /** Entries by key (a later duplicate name wins). */
  entries: Map<string, ZipEntry>;
  /** Central directory entries that are not store keys (directories, invalid names). */
  skipped: number;
  cdOffset: number;
  cdSize: number;
  /** First byte after the EOCD (and its comment): everything beyond is a torn tail. */
  end: number;
  zip64: boolean;
}

/** A CD larger than this is refused (it would mean ~10 million entries). */
export const MAX_CD_BYTES = 1 << 30;
/** Block size of the backward scan through a torn tail. */
const SCAN_BLOCK = 1 << 20;

const SIG_BYTES = [0x50, 0x4b, 0x05, 0x06]; // "PK\5\6", SIG_EOCD little-endian

/**
 * Scans backward from the end of `source` for the last EOCD whose CD parses and is in bounds.
 * Normal archives end with their EOCD, found in the first block read. After a crash the file
 * may end with a torn tail (members or a partial CD written after the last commit): the scan
 * then continues backward, block by block, until it reaches a valid EOCD, so readers see
 * exactly the last committed state. The deep scan only runs on files that begin with a ZIP
 * signature, so a large non-ZIP file is rejected after reading its head and tail.
 *
 * Throws ERR_NOT_A_CONTAINER when the file holds no EOCD at all, ERR_CORRUPT_META (naming the
 * offset and the reason) when EOCDs exist but none leads to a valid CD.
 *
 * @example
 * const commit = await findLastCommit(source); commit.entries.get("meta/sizes");
 */
export async function findLastCommit(source: ByteSource): Promise<ZipCommit> {
  const size = source.size;
  if (size < EOCD_SIZE) {
    throw new ColzError("ERR_NOT_A_CONTAINER", `${source.description} is not a ZIP archive (${size} bytes)`);
  }
  let firstRejection: string | undefined;
  let blockEnd = size;
  let deep = false;
  while (blockEnd > 0) {
    const span = deep ? SCAN_BLOCK : MAX_TAIL + ZIP64_EOCD_SIZE;
    const blockStart = Math.max(0, blockEnd - span);
    // Overlap by 3 bytes so that a signature straddling two blocks is seen.
    const readEnd = Math.min(size, blockEnd + 3);
    const block = await source.read(blockStart, readEnd - blockStart);
    for (let i = blockEnd - 1 - blockStart; i >= 0; i--) {
      if (block[i] !== SIG_BYTES[0] || block[i + 1] !== SIG_BYTES[1]) continue;
      if (block[i + 2] !== SIG_BYTES[2] || block[i + 3] !== SIG_BYTES[3]) continue;
      const p = blockStart + i;
      const result = await tryEocd(source, p, block, blockStart);
      if (typeof result !== "string") return result;
      firstRejection ??= `end of central directory at offset ${p}: ${result}`;
    }
    blockEnd = blockStart;
    if (!deep && blockEnd > 0) {
      if (!(await startsLikeZip(source))) break;
      deep = true;
    }
  }
  if (firstRejection === undefined) {
    throw new ColzError(
      "ERR_NOT_A_CONTAINER",
      `${source.description} is not a ZIP archive (no end of central directory)`,
    );
  }
  throw new ColzError("ERR_CORRUPT_META", `${source.description}: no valid central directory; last ${firstRejection}`);
}

async function startsLikeZip(source: ByteSource): Promise<boolean> {
  const head = await source.read(0, 4);
  const sig = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
  return sig === SIG_LOCAL || sig === SIG_EOCD;
}

async function tryEocd(
  source: ByteSource,
  p: number,
  block: Uint8Array,
  blockStart: number,
): Promise<ZipCommit | string> {
  const size = source.size;
  if (p + EOCD_SIZE > size) return "record runs past the end of the file";
  const eocdBytes = slice(block, blockStart, p, EOCD_SIZE) ?? (await source.read(p, EOCD_SIZE));
  const eocd = parseEocd(eocdBytes);
  const end = p + EOCD_SIZE + eocd.commentLength;
  if (end > size) return `comment of ${eocd.commentLength} bytes runs past the end of the file`;
  let { count, cdSize, cdOffset } = eocd;
  let cdEnd = p;
  let zip64 = false;
  if (p >= ZIP64_LOCATOR_SIZE) {
    const at = p - ZIP64_LOCATOR_SIZE;
    const loc = parseZip64Locator(
      slice(block, blockStart, at, ZIP64_LOCATOR_SIZE) ?? (await source.read(at, ZIP64_LOCATOR_SIZE)),
    );
    if (typeof loc === "string") return loc;
    if (loc !== undefined) {
      if (loc + ZIP64_EOCD_SIZE > at) return `ZIP64 record offset ${loc} is out of bounds`;
      const rec = parseZip64Eocd(
        slice(block, blockStart, loc, ZIP64_EOCD_SIZE) ?? (await source.read(loc, ZIP64_EOCD_SIZE)),
      );
      if (typeof rec === "string") return `${rec} (at offset ${loc})`;
      if (loc + 12 + rec.recordSize !== at) return `ZIP64 record at ${loc} does not end at its locator`;
      ({ count, cdSize, cdOffset } = rec);
      cdEnd = loc;
      zip64 = true;
    }
  }
  if (!zip64) {
    if (eocd.count === U16_MAX || eocd.cdSize === U32_MAX || eocd.cdOffset === U32_MAX) {
      return "ZIP64 values without a ZIP64 locator";
    }
    if (eocd.diskNumber !== 0 || eocd.cdDisk !== 0 || eocd.countOnDisk !== eocd.count) {
      return "multi-disk archives are not supported";
    }
  }
  if (cdOffset + cdSize !== cdEnd) {
    return `central directory at offset ${cdOffset} (${cdSize} bytes) does not end at offset ${cdEnd}`;
  }
  if (count * 46 > cdSize) return `${count} entries cannot fit in a ${cdSize}-byte central directory`;
  if (cdSize > MAX_CD_BYTES) return `central directory of ${cdSize} bytes is larger than ${MAX_CD_BYTES}`;
  const cd = slice(block, blockStart, cdOffset, cdSize) ?? (await source.read(cdOffset, cdSize));
  const parsed = parseCentralDirectory(cd, cdOffset, count);
  if (typeof parsed === "string") return parsed;
  const entries = new Map<string, ZipEntry>();
  for (const e of parsed.entries) {
    entries.delete(e.name); // keep CD order with the later duplicate
    entries.set(e.name, e);
  }
  return { entries, skipped: parsed.skipped, cdOffset, cdSize, end, zip64 };
}

function slice(block: Uint8Array, blockStart: number, offset: number, length: number): Uint8Array | undefined {
  const i = offset - blockStart;
  if (i < 0 || i + length > block.length) return undefined;
  return block.subarray(i, i + length);
}

/**
 * A ByteSource over bytes already in memory (tests, servers without Range support).
 *
 * @example
 * const commit = await findLastCommit(memorySource(zipBytes, "t.zip"));
 */
export function memorySource(bytes: Uint8Array, description: string): ByteSource {
  return {
    description,
    size: bytes.length,
    read: async (offset, length) => bytes.slice(offset, offset + length), // a copy: callers may mutate it
  };
}

/**
 * A ByteSource viewing bytes already in memory without copying (ZipBufferStore: the archive
 * was read whole; nothing writes to what the parser is handed).
 *
 * @example
 * const commit = await findLastCommit(viewSource(fileBytes, "k.zip"));
 */
export function viewSource(bytes: Uint8Array, description: string): ByteSource {
  return { description, size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}
