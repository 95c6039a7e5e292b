import { BloscError, decompressFrom, ready } from "@colz/blosc-wasm";
import type { ColumnValues } from "@colz/ctable";
import {
  type ChunkStats,
  type ColumnTypedArray,
  ColzError,
  checkChunkNbytes,
  checksumProblem,
  chunkInfoOf,
  chunkKey,
  chunkStatsKey,
  colzMetaKey,
  decodeChunkFile,
  parseChunkStats,
  parseColzMeta,
  parseDtype,
  parseRootdirs,
  parseSizes,
  parseStorage,
  sidecarMatches,
  toTypedArray,
} from "@colz/format";

/**
 * A member of the value's archive as a view, or undefined when it is absent. With `checkCrc`
 * (the default) the member's CRC-32 is verified (ZipBufferStore.memberView); without, the
 * caller checks the bytes itself.
 */
export type MemberView = (key: string, checkCrc?: boolean) => Uint8Array | undefined;

/** Returned when the value needs the general CTable path (nullable or variable-length columns, ...). */
export const NOT_FAST = Symbol("not-fast");

/** `getColumns`' results above this many bytes go through the general path (and its size checks). */
const MAX_FAST_BYTES = 2 ** 31;

/** One column's geometry, parsed and checked before anything is allocated. */
interface FixedColumn {
  name: string;
  dtype: ReturnType<typeof parseDtype>;
  prefix: string;
  atomsize: number;
  chunklen: number;
  length: number;
  /** meta/colz promises a sidecar per chunk (with a checksum cheaper than the member CRC-32). */
  sidecars: boolean;
}

/**
 * Reads whole columns of the ctable at the root of an archive straight into one new array per
 * column: each chunk file's Blosc chunk decodes into its place in the output, with no CTable
 * and no per-chunk promise. Each chunk is checked once: against its sidecar's checksum where
 * there is a sidecar for it (XXH64, hashed in the codec's memory on the way to the decoder,
 * FORMAT.md §11.2), otherwise by the member's CRC-32. Used by `getColumns` on zip values,
 * which are read whole.
 *
 * Only plain fixed-width columns (what bcolz writes) take this path; for anything else, or a
 * requested name the table does not have, it returns NOT_FAST and the caller uses CTable,
 * which reports errors in its usual way. Rows are [0, table length): the shortest column's
 * length, as CTable reads them (FORMAT.md §7). Checks are the CArrayReader's: a chunk whose
 * Blosc header disagrees with the metadata, a missing chunk, or one that does not decode is
 * ERR_CORRUPT_CHUNK naming the chunk file; bad metadata is ERR_CORRUPT_META.
 *
 * @example
 * const cols = await readColumnsFast((k) => zip.memberView(k), ["price"]);
 */
export async function readColumnsFast(
  member: MemberView,
  names: readonly string[] | undefined,
): Promise<Record<string, ColumnValues> | typeof NOT_FAST> {
  await ready();
  const rootdirs = member("__rootdirs__");
  if (rootdirs === undefined) return NOT_FAST;
  const all = parseRootdirs(rootdirs, "__rootdirs__");
  const wanted = names ?? all;
  if (wanted.some((n) => !all.includes(n))) return NOT_FAST;
  // Table length: the minimum over every listed column, not just the requested ones (§7).
  const columns = new Map<string, FixedColumn>();
  let length = Number.POSITIVE_INFINITY;
  for (const name of all) {
    const column = parseColumn(member, name);
    if (column === NOT_FAST) return NOT_FAST;
    columns.set(name, column);
    length = Math.min(length, column.length);
  }
  if (all.length === 0) length = 0;
  let total = 0;
  for (const name of wanted) total += length * (columns.get(name) as FixedColumn).atomsize;
  if (total > MAX_FAST_BYTES) return NOT_FAST;
  const out: Record<string, ColumnValues> = {};
  for (const name of wanted) {
    const column = columns.get(name) as FixedColumn;
    const bytes = decodeColumn(member, column, length);
    const data = toTypedArray(bytes, column.dtype) as ColumnTypedArray;
    out[name] = { kind: "fixed", dtype: column.dtype, length, data };
  }
  return out;
}

/** The sidecar of chunk `i` (its member CRC-checked), or undefined when there is none. */
function sidecarOf(member: MemberView, c: FixedColumn, i: number): ChunkStats | undefined {
  const key = chunkStatsKey(c.prefix, i);
  const bytes = member(key);
  return bytes === undefined ? undefined : parseChunkStats(bytes, key, c.dtype);
}

/** Metadata of column `name`, or NOT_FAST for columns CTable must read (colz extensions). */
function parseColumn(member: MemberView, name: string): FixedColumn | typeof NOT_FAST {
  const prefix = `${name}/`;
  const sizesKey = `${prefix}meta/sizes`;
  const storageKey = `${prefix}meta/storage`;
  const sizesBytes = member(sizesKey);
  const storageBytes = member(storageKey);
  if (sizesBytes === undefined || storageBytes === undefined) return NOT_FAST;
  const markerBytes = member(colzMetaKey(prefix));
  let sidecars = false;
  if (markerBytes !== undefined) {
    const marker = parseColzMeta(markerBytes, colzMetaKey(prefix));
    if (marker.nullable || marker.logicalType === "utf8" || marker.logicalType === "binary") return NOT_FAST;
    sidecars = marker.chunkStats;
  }
  const sizes = parseSizes(sizesBytes, sizesKey);
  const storage = parseStorage(storageBytes, storageKey);
  const dtype = parseDtype(storage.dtype, storageKey);
  let atomsize = dtype.itemsize;
  for (const d of sizes.shape.slice(1)) atomsize *= d;
  // Geometry the general reader refuses (huge atoms, sizes past 2^53): let it say so.
  if (!(atomsize > 0 && storage.chunklen * atomsize <= 2 ** 31 - 17)) return NOT_FAST;
  const length = sizes.shape[0] as number;
  if (!Number.isSafeInteger(length * atomsize)) return NOT_FAST;
  return { name, dtype, prefix, atomsize, chunklen: storage.chunklen, length, sidecars };
}

/** The column's first `length` rows (stored byte order), every chunk decoded into its place. */
function decodeColumn(member: MemberView, c: FixedColumn, length: number): Uint8Array {
  const chunksize = c.chunklen * c.atomsize;
  const dest = new Uint8Array(length * c.atomsize);
  const nchunks = Math.ceil(length / c.chunklen);
  for (let i = 0; i < nchunks; i++) {
    const key = chunkKey(c.prefix, i);
    // A chunk with a sidecar is checked against it below; the member's CRC-32 would be a second,
    // slower pass over the same bytes. Without one, the CRC-32 is the check.
    const stats = c.sidecars ? sidecarOf(member, c, i) : undefined;
    const file = member(key, stats === undefined);
    if (file === undefined) {
      throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key} is missing but the column has ${c.length} rows`);
    }
    const chunk = decodeChunkFile(file, key);
    if (chunk.length > chunksize + 16) {
      throw new ColzError(
        "ERR_CORRUPT_CHUNK",
        `chunk file ${key}: Blosc cbytes ${chunk.length} exceeds ${chunksize + 16}, the most a chunk of this carray can take`,
      );
    }
    const info = chunkInfoOf(chunk, key);
    // Rows of this chunk that are read; the column's own length may go further (§7, §6).
    const rows = Math.min(c.chunklen, length - i * c.chunklen);
    const need = rows * c.atomsize;
    const storedRows = Math.min(c.chunklen, c.length - i * c.chunklen);
    checkChunkNbytes(key, info.nbytes, storedRows === c.chunklen, chunksize, storedRows, c.atomsize);
    const sidecar = stats !== undefined && sidecarMatches(stats, info.cbytes, info.nbytes) ? stats : undefined;
    // A stale sidecar (a foreign writer replaced the chunk) checks nothing: the member's CRC-32 does.
    if (stats !== undefined && sidecar === undefined) member(key, true);
    const at = i * chunksize;
    try {
      // The chunk is copied into the codec's memory anyway; its checksum is taken there.
      const fill = (room: Uint8Array): Uint8Array => {
        room.set(chunk);
        const inCodec = room.subarray(0, chunk.length);
        const problem = sidecar === undefined ? undefined : checksumProblem(sidecar, inCodec);
        if (problem !== undefined) {
          throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key}: ${problem}; the chunk is damaged`);
        }
        return inCodec;
      };
      if (info.nbytes === need) decompressFrom(chunk.length, fill, dest.subarray(at, at + need));
      else dest.set((decompressFrom(chunk.length, fill) as Uint8Array).subarray(0, need), at); // extra rows
    } catch (e) {
      if (e instanceof BloscError) {
        throw new ColzError("ERR_CORRUPT_CHUNK", `chunk file ${key}: ${e.message}`, { cause: e });
      }
      throw e;
    }
  }
  return dest;
}
