/**
 * A whole ZIP archive encoded in memory in one pass: what a writer that already holds every
 * member (a key-store value built in memory) writes with one vectored write, instead of a
 * ZipStore's append per member plus a commit. Platform-neutral.
 */
import { crc32 } from "./crc32.js";
import { encodeCentralHeader, encodeEnd, encodeLocalHeader, newEntry, type ZipEntry } from "./zip-format.js";

/** One member to put in an archive. `crc32` may be given when the caller already knows it. */
export interface ArchiveMember {
  name: string;
  bytes: Uint8Array;
  crc32?: number;
}

/** An encoded archive: the pieces in file order (member bytes are not copied) and their total size. */
export interface EncodedArchive {
  parts: Uint8Array[];
  size: number;
}

/**
 * Encodes `members`, in the order given, as one complete archive: a local header + data per
 * member (STORED, UTF-8 names, CRC-32, ZIP64 records when needed), then one central directory
 * and its EOCD: the records ZipStore writes for the same members and one `commit()` (without
 * the empty archive a new ZipStore file starts with), so every ZIP reader, ZipStore and
 * `unzip -t` accept it. The member bytes are
 * referenced, not copied: write the parts before changing them.
 *
 * @example
 * const { parts, size } = encodeZipArchive([{ name: "meta/sizes", bytes }]);
 * fs.writevSync(fd, parts); // size bytes
 */
export function encodeZipArchive(members: Iterable<ArchiveMember>, date = new Date()): EncodedArchive {
  const parts: Uint8Array[] = [];
  const entries: ZipEntry[] = [];
  let pos = 0;
  for (const m of members) {
    const entry = newEntry(m.name, m.bytes.length, m.crc32 ?? crc32(m.bytes), pos, date);
    const header = encodeLocalHeader(entry);
    parts.push(header);
    if (m.bytes.length > 0) parts.push(m.bytes);
    pos += header.length + m.bytes.length;
    entries.push(entry);
  }
  const cdOffset = pos;
  for (const e of entries) {
    const cd = encodeCentralHeader(e);
    parts.push(cd);
    pos += cd.length;
  }
  const end = encodeEnd(entries.length, cdOffset, pos - cdOffset);
  parts.push(end);
  return { parts, size: pos + end.length };
}
