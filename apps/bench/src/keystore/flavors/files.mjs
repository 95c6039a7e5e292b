// The baselines: one plain file per key, like numpy's `np.savez` (raw) and `np.savez_compressed`
// (zlib) in the original experiment. A file is a 16-byte header and the two columns' bytes:
//   "CZKS" | uint32 version (1) | uint64 rows | rows x int64 | rows x float64   (little-endian)
// The header keeps both columns 8-byte aligned, so reads are typed-array views of the file's bytes.
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";

const MAGIC = 0x534b5a43; // "CZKS" read as a little-endian uint32
const HEADER = 16;
/** Deflate level of the zlib flavor (the issue asks for 9; numpy's savez_compressed uses zlib's default, 6). */
export const ZLIB_LEVEL = 9;

/** @param {number} rows */
function header(rows) {
  const h = new Uint8Array(HEADER);
  const v = new DataView(h.buffer);
  v.setUint32(0, MAGIC, true);
  v.setUint32(4, 1, true);
  v.setUint32(8, rows % 4294967296, true);
  v.setUint32(12, Math.floor(rows / 4294967296), true);
  return h;
}

/** @param {ArrayBufferView} a */
function bytesOf(a) {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Writes `parts` to `path` in order (one open, a write per part, optional fsync).
 * @param {string} path @param {Uint8Array[]} parts @param {boolean} sync
 */
export function writeParts(path, parts, sync) {
  const fd = openSync(path, "w");
  try {
    for (const p of parts) {
      let off = 0;
      while (off < p.byteLength) off += writeSync(fd, p, off, p.byteLength - off);
    }
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The two columns of a raw file's bytes, as views when `buf` is 8-byte aligned (readFileSync and
 * inflateSync results are; otherwise one copy to an aligned buffer).
 * @param {Uint8Array} buf @param {string} what file name for errors
 * @returns {import("../data.mjs").KeyColumns}
 */
export function parseRaw(buf, what) {
  if (buf.byteLength < HEADER) throw new Error(`${what}: ${buf.byteLength} bytes, too short for the header`);
  const v = new DataView(buf.buffer, buf.byteOffset, HEADER);
  if (v.getUint32(0, true) !== MAGIC) throw new Error(`${what}: bad magic`);
  const rows = v.getUint32(8, true) + v.getUint32(12, true) * 4294967296;
  if (buf.byteLength !== HEADER + rows * 16) {
    throw new Error(`${what}: ${buf.byteLength} bytes, expected ${HEADER + rows * 16} for ${rows} rows`);
  }
  let b = buf;
  if (b.byteOffset % 8 !== 0) b = new Uint8Array(b); // copy to offset 0
  const i = new BigInt64Array(b.buffer, b.byteOffset + HEADER, rows);
  const f = new Float64Array(b.buffer, b.byteOffset + HEADER + rows * 8, rows);
  return { i, f };
}

/** Where the raw flavor keeps `key` under `dir`. @param {string} dir @param {string} key */
export function rawPath(dir, key) {
  return join(dir, `${key}.bin`);
}

/**
 * raw: one uncompressed file per key, written with write(2) and read with one readFileSync.
 * @type {import("../flavors.mjs").FlavorImpl}
 */
export const raw = {
  async writer(dir, { sync }) {
    return {
      put(key, { i, f }) {
        writeParts(rawPath(dir, key), [header(i.length), bytesOf(i), bytesOf(f)], sync);
      },
      close() {},
    };
  },
  async reader(dir) {
    return {
      get(key) {
        const path = rawPath(dir, key);
        return parseRaw(readFileSync(path), path);
      },
      close() {},
    };
  },
};

/**
 * zlib: the same bytes deflated (node:zlib, zlib format, level 9) into one file per key.
 * @type {import("../flavors.mjs").FlavorImpl}
 */
export const zlib = {
  async writer(dir, { sync }) {
    return {
      put(key, { i, f }) {
        const body = Buffer.concat([header(i.length), bytesOf(i), bytesOf(f)]);
        writeParts(join(dir, `${key}.z`), [deflateSync(body, { level: ZLIB_LEVEL })], sync);
      },
      close() {},
    };
  },
  async reader(dir) {
    return {
      get(key) {
        const path = join(dir, `${key}.z`);
        return parseRaw(inflateSync(readFileSync(path)), path);
      },
      close() {},
    };
  },
};
