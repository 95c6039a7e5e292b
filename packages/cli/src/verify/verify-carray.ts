import { decompress } from "@colz/blosc-wasm";
import {
  CArrayReader,
  checksumProblem,
  chunkInfoOf,
  chunkKey,
  chunkStatsKey,
  computeChunkStats,
  getMetaFile,
  META_LIMITS,
  openValidity,
  parseChunkStats,
  readChunkFile,
  type Store,
  sidecarMatches,
  validityPrefix,
  valuesPrefix,
} from "@colz/format";
import { fileOf, type Report } from "./problems.js";

/** Called once per chunk of a main (not validity/values) carray, for progress bars. */
export type OnChunk = () => void;

/** What the checks of one carray's chunks need to know about an extension carray. */
interface ChunkHooks {
  /** Bytes per row that are validity (1 valid, 0 null) for the rows of chunk `i`, if nullable. */
  validity?: (start: number, rows: number) => Promise<Uint8Array | undefined>;
  /** Checks decoded int64 end offsets of a utf8/binary column, in row order. */
  offsets?: (values: BigInt64Array, firstRow: number) => void;
}

/**
 * Opens the carray at `prefix` with checksums off (verify checks them itself, reporting every
 * bad chunk instead of stopping at the first) and reports why when it cannot.
 */
async function openReader(store: Store, prefix: string, report: Report): Promise<CArrayReader | undefined> {
  try {
    return await CArrayReader.open(store, prefix, { verifyChecksums: false });
  } catch (e) {
    const { file, message } = fileOf(e, `${prefix}meta/sizes`, "");
    report.add(file, message);
    return undefined;
  }
}

/**
 * Verifies the carray at `prefix` of `store` and every extension carray it has: metadata parses
 * and agrees (meta/sizes nbytes, chunk sizes vs chunklen and leftover), every chunk file exists
 * and decodes, colz sidecars exist where meta/colz promises them and match the chunk (checksum,
 * cbytes, nbytes, rows, nulls, NaN count, min, max), validity carrays are bool with the same
 * chunklen and enough rows, variable-length offsets never decrease nor point past the bytes.
 * Every problem goes to `report`; nothing is thrown for damaged data.
 *
 * @example
 * await verifyCArray(store, "price/", report, () => bar.increment());
 */
export async function verifyCArray(
  store: Store,
  prefix: string,
  report: Report,
  onChunk?: OnChunk,
): Promise<number | undefined> {
  const reader = await openReader(store, prefix, report);
  if (reader === undefined) return undefined;
  report.countCArray();
  const expected = reader.length * reader.atomsize;
  if (reader.sizes.nbytes !== expected) {
    report.add(
      `${prefix}meta/sizes`,
      `nbytes is ${reader.sizes.nbytes} but ${reader.length} rows of ${reader.atomsize} bytes are ${expected}`,
    );
  }
  const hooks: ChunkHooks = {};
  if (reader.colz?.nullable === true) {
    try {
      const validity = await openValidity(reader, { verifyChecksums: false });
      if (validity !== undefined) {
        await verifyCArray(store, validityPrefix(prefix), report);
        hooks.validity = (start, rows) => readValidity(validity, start, rows);
      }
    } catch (e) {
      const { file, message } = fileOf(e, `${validityPrefix(prefix)}meta/sizes`);
      report.add(file, message);
    }
  }
  const logical = reader.colz?.logicalType;
  if (logical === "utf8" || logical === "binary") {
    const valuesLength = await verifyVarlen(store, prefix, reader, report);
    if (valuesLength !== undefined) hooks.offsets = offsetsChecker(prefix, valuesLength, report);
  }
  for (let i = 0; i < reader.nchunks; i++) {
    await verifyChunk(reader, i, report, hooks);
    report.countChunk();
    onChunk?.();
  }
  return reader.length;
}

/** Validity bytes for `rows` rows from `start`, padded with 1 (valid) past the validity's end. */
async function readValidity(validity: CArrayReader, start: number, rows: number): Promise<Uint8Array | undefined> {
  const end = Math.min(validity.length, start + rows);
  const out = new Uint8Array(rows).fill(1);
  if (end > start) out.set(await validity.readRows(start, end));
  return out;
}

async function verifyVarlen(
  store: Store,
  prefix: string,
  reader: CArrayReader,
  report: Report,
): Promise<number | undefined> {
  if (reader.dtype.str !== "int64" || reader.atomShape.length !== 0) {
    report.add(
      `${prefix}meta/storage`,
      `a ${reader.colz?.logicalType} column's offsets must be 1-D int64, not ${reader.dtype.str}`,
    );
    return undefined;
  }
  const values = valuesPrefix(prefix);
  const length = await verifyCArray(store, values, report);
  if (length === undefined) return undefined;
  const v = await CArrayReader.open(store, values, { verifyChecksums: false }).catch(() => undefined);
  if (v !== undefined && (v.dtype.str !== "uint8" || v.atomShape.length !== 0)) {
    report.add(`${values}meta/storage`, `the bytes of a variable-length column must be 1-D uint8, not ${v.dtype.str}`);
  }
  return length;
}

function offsetsChecker(
  prefix: string,
  valuesLength: number,
  report: Report,
): (v: BigInt64Array, first: number) => void {
  let prev = 0n;
  let reported = false;
  const limit = BigInt(valuesLength);
  return (ends, first) => {
    for (let k = 0; k < ends.length && !reported; k++) {
      const e = ends[k]!;
      if (e < prev || e > limit) {
        reported = true; // one message per column: the rest follows from the first bad offset
        report.add(
          `${prefix}data`,
          `offset ${e} of row ${first + k} is not within ${prev}..${valuesLength} (the column's bytes)`,
        );
      }
      prev = e;
    }
  };
}

async function verifyChunk(reader: CArrayReader, i: number, report: Report, hooks: ChunkHooks): Promise<void> {
  const { store, prefix } = reader;
  const key = chunkKey(prefix, i);
  const rows = reader.chunkRows(i);
  let chunk: Uint8Array | undefined;
  try {
    chunk = await readChunkFile(store, key, reader.chunksize + 16);
  } catch (e) {
    report.add(key, fileOf(e, key).message);
    return;
  }
  if (chunk === undefined) {
    report.add(key, `missing: the carray has ${reader.length} rows, so chunk ${i} must exist`);
    return;
  }
  let decoded: Uint8Array;
  try {
    const info = chunkInfoOf(chunk, key);
    const need = rows * reader.atomsize;
    const full = i < reader.nfull;
    if (full ? info.nbytes !== reader.chunksize : info.nbytes < need || info.nbytes > reader.chunksize) {
      const want = full ? `${reader.chunksize}` : `${need}..${reader.chunksize}`;
      report.add(
        key,
        `Blosc header says ${info.nbytes} bytes, the metadata expects ${want} (${rows} rows of ${reader.atomsize} bytes)`,
      );
      return;
    }
    decoded = decompress(chunk);
  } catch (e) {
    report.add(key, `does not decode: ${fileOf(e, key).message}`);
    return;
  }
  if (hooks.offsets !== undefined) {
    const valid = decoded.subarray(0, rows * 8);
    hooks.offsets(new BigInt64Array(valid.slice().buffer), i * reader.chunklen);
  }
  if (reader.colz?.chunkStats === true) await verifySidecar(reader, i, chunk, decoded, report, hooks);
}

async function verifySidecar(
  reader: CArrayReader,
  i: number,
  chunk: Uint8Array,
  decoded: Uint8Array,
  report: Report,
  hooks: ChunkHooks,
): Promise<void> {
  const key = chunkStatsKey(reader.prefix, i);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await getMetaFile(reader.store, key, META_LIMITS.small);
  } catch (e) {
    report.add(key, fileOf(e, key).message);
    return;
  }
  if (bytes === undefined) {
    report.add(key, "missing: meta/colz says every chunk has a statistics sidecar");
    return;
  }
  try {
    const stats = parseChunkStats(bytes, key, reader.dtype);
    const info = chunkInfoOf(chunk, key);
    if (!sidecarMatches(stats, info.cbytes, info.nbytes)) {
      report.add(
        key,
        `stale: it describes a chunk of ${stats.cbytes}/${stats.nbytes} bytes (cbytes/nbytes), the chunk file has ${info.cbytes}/${info.nbytes} (another writer replaced the chunk?)`,
      );
      return;
    }
    const problem = checksumProblem(stats, chunk);
    if (problem !== undefined) {
      report.add(chunkKey(reader.prefix, i), `${problem}: the chunk is damaged`);
      return;
    }
    const storedRows = decoded.length / reader.atomsize;
    const validity = await hooks.validity?.(i * reader.chunklen, storedRows);
    const actual = computeChunkStats(chunk, decoded, reader.dtype, reader.atomItems, validity);
    const diffs: string[] = [];
    for (const field of ["rows", "nulls", "nans", "min", "max"] as const) {
      if (!sameStat(stats[field], actual[field]))
        diffs.push(`${field} ${String(stats[field])} (data: ${String(actual[field])})`);
    }
    if (diffs.length > 0) report.add(key, `statistics disagree with the chunk: ${diffs.join(", ")}`);
  } catch (e) {
    report.add(key, fileOf(e, key).message);
  }
}

function sameStat(a: number | bigint | null, b: number | bigint | null): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}
