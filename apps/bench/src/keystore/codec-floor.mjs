// The codec floor of a colz zip flavor: what its query and its creation would cost if they did
// nothing but decompress and compress. The chunks are taken from the flavor's own files and held
// in memory first, so the timed loops have no files, metadata, checksums or statistics (decoding
// goes into one reused buffer; compress returns each chunk in a new array, as it must): no store
// built on this codec can do the same work in less time on this machine.
//
// For the query it also times, side by side, reading one pass's files whole into one reused
// buffer: the colz flavor's zip files and the raw flavor's files. Into reused memory, neither
// read pays the page faults of fresh memory; both flavors pay those for the arrays they return,
// which hold the same bytes. So when colz's read + decode floor exceeds raw's read, colz cannot
// query faster than raw on this machine, whatever the store around the codec does.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { chunkInfo, compress, decompress, ready } from "@colz/blosc-wasm";
import { decodeChunkFile, ZipBufferStore } from "@colz/format";
import { decodeStem } from "@colz/store";
import { rawPath } from "./flavors/files.mjs";

/**
 * Timed samples of each floor, after one untimed warm-up; the floor is the least of them (a lower
 * bound: the machine's noise, such as page faults of recycled memory, only ever adds time).
 */
const SAMPLES = 5;

/**
 * @typedef {object} CodecFloor
 * @property {number} decodeMs   least time to decompress every chunk of one query pass's keys
 * @property {number} encodeMs   least time to compress every key's columns into the same chunks
 * @property {number} decodeChunks
 * @property {number} decodedBytes
 * @property {number} encodeChunks
 * @property {number} colzReadMs  least time to read one pass's colz files whole into one reused buffer
 * @property {number} [rawReadMs] the same for the raw flavor's files (when the raw flavor ran)
 */

/**
 * Reads every file of `paths` whole into `buffer` (grown as needed): one open, fstat, read, close
 * each, as the key store's zip reader does. Returns the buffer (possibly grown).
 * @param {string[]} paths @param {{ buffer: Uint8Array }} into
 */
function readAllInto(paths, into) {
  for (const path of paths) {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      if (into.buffer.length < size) into.buffer = new Uint8Array(size);
      let done = 0;
      while (done < size) {
        const n = readSync(fd, into.buffer, done, size - done, done);
        if (n === 0) break;
        done += n;
      }
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Every `*.zip` value file under `dir` (any fan-out depth), by the key its name encodes.
 * @param {string} dir @returns {Map<string, string>}
 */
function valueFiles(dir) {
  /** @type {Map<string, string>} */
  const files = new Map();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".zip")) continue;
    const key = decodeStem(entry.name.slice(0, -4));
    if (key !== undefined) files.set(key, join(entry.parentPath ?? entry.path, entry.name));
  }
  return files;
}

/**
 * The Blosc chunks of one key's value, per column, in chunk order.
 * @param {string} file @returns {Promise<Map<string, Uint8Array[]>>}
 */
async function chunksOf(file) {
  const zip = await ZipBufferStore.open(new Uint8Array(readFileSync(file)), file);
  /** @type {Map<string, Uint8Array[]>} */
  const columns = new Map();
  for (const name of zip.names()) {
    const m = /^(.+)\/data\/__(\d+)\.blp$/.exec(name);
    if (!m) continue;
    const chunks = columns.get(m[1]) ?? [];
    chunks[Number(m[2])] = decodeChunkFile(/** @type {Uint8Array} */ (zip.memberView(name)), name).slice();
    columns.set(m[1], chunks);
  }
  return columns;
}

/**
 * Measures the codec floor of the zip flavor stored in `dir`.
 *
 * @param {object} p
 * @param {string} p.dir                  the flavor's store directory
 * @param {string} [p.rawDir]             the raw flavor's directory, when it ran
 * @param {ArrayLike<number> & Iterable<number>} p.lookups  key indexes of one query pass
 * @param {number} p.nkeys
 * @param {(k: number) => string} p.keyName
 * @param {(k: number) => import("./data.mjs").KeyColumns} p.columnsOf
 * @param {{ cname: "lz4" | "blosclz", clevel: number }} p.cparams  the flavor's (shuffle on)
 * @returns {Promise<CodecFloor>}
 *
 * @example
 * const floor = await codecFloor({ dir, lookups, nkeys: 300, keyName, columnsOf, cparams: { cname: "lz4", clevel: 5 } });
 */
export async function codecFloor({ dir, rawDir, lookups, nkeys, keyName, columnsOf, cparams }) {
  await ready();
  const files = valueFiles(dir);
  /** @param {number} k */
  const chunksOfKey = (k) => {
    const file = files.get(keyName(k));
    if (file === undefined) throw new Error(`codec floor: no value file for key ${keyName(k)} under ${dir}`);
    return chunksOf(file);
  };

  // Decode: every chunk one query pass reads, into one reused buffer.
  /** @type {Uint8Array[]} */
  const toDecode = [];
  for (const k of lookups) for (const chunks of (await chunksOfKey(k)).values()) toDecode.push(...chunks);
  let decodedBytes = 0;
  let largest = 0;
  for (const c of toDecode) {
    const n = chunkInfo(c).nbytes;
    decodedBytes += n;
    largest = Math.max(largest, n);
  }
  const out = new Uint8Array(largest);
  const decodeSamples = [];
  for (let r = 0; r < SAMPLES + 1; r++) {
    const t0 = performance.now();
    for (const c of toDecode) decompress(c, out);
    if (r > 0) decodeSamples.push(performance.now() - t0); // the first pass warms up
  }

  // Reads of one pass's files into one reused buffer, colz's and raw's alternately.
  // Array.from: the lookups may be a typed array, whose map would make numbers of the paths.
  const colzPaths = Array.from(lookups, (k) => /** @type {string} */ (files.get(keyName(k))));
  const rawPaths = rawDir === undefined ? undefined : Array.from(lookups, (k) => rawPath(rawDir, keyName(k)));
  const into = { buffer: new Uint8Array(1 << 20) };
  const colzReads = [];
  const rawReads = [];
  for (let r = 0; r < SAMPLES + 1; r++) {
    let t0 = performance.now();
    readAllInto(colzPaths, into);
    if (r > 0) colzReads.push(performance.now() - t0);
    if (rawPaths === undefined) continue;
    t0 = performance.now();
    readAllInto(rawPaths, into);
    if (r > 0) rawReads.push(performance.now() - t0);
  }

  // Encode: every key's columns, cut into the chunks the store wrote (each chunk's nbytes).
  /** @type {Uint8Array[]} */
  const toEncode = [];
  for (let k = 0; k < nkeys; k++) {
    const chunks = await chunksOfKey(k);
    const cols = columnsOf(k);
    /** @type {[string, BigInt64Array | Float64Array][]} */
    const columns = [
      ["i", cols.i],
      ["f", cols.f],
    ];
    for (const [name, arr] of columns) {
      const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
      let at = 0;
      for (const c of chunks.get(name) ?? []) {
        const n = Math.min(chunkInfo(c).nbytes, bytes.length - at);
        toEncode.push(bytes.subarray(at, at + n));
        at += n;
      }
      if (at !== bytes.length)
        throw new Error(`codec floor: key ${keyName(k)} column ${name}: chunks hold ${at} of ${bytes.length} bytes`);
    }
  }
  const options = {
    typesize: 8,
    cname: cparams.cname,
    clevel: cparams.clevel,
    shuffle: /** @type {const} */ ("shuffle"),
  };
  const encodeSamples = [];
  for (let r = 0; r < SAMPLES + 1; r++) {
    const t0 = performance.now();
    for (const piece of toEncode) compress(piece, options);
    if (r > 0) encodeSamples.push(performance.now() - t0);
  }
  return {
    decodeMs: Math.min(...decodeSamples),
    encodeMs: Math.min(...encodeSamples),
    decodeChunks: toDecode.length,
    decodedBytes,
    encodeChunks: toEncode.length,
    colzReadMs: Math.min(...colzReads),
    ...(rawReads.length > 0 ? { rawReadMs: Math.min(...rawReads) } : {}),
  };
}
