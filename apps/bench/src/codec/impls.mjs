// The JS-side implementations under test, each loaded independently so one failing to load
// (e.g. blosc-wasm not built yet) is reported without stopping the others.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** @param {unknown} e */
export function errorMessage(e) {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Version from node_modules/<name>/package.json (exports maps may hide it from require). @param {string} name */
export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(join(BENCH_DIR, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}

/**
 * @template T
 * @typedef {{ ok: true, api: T } | { ok: false, error: string }} Loaded
 */

/**
 * @typedef {object} OursApi
 * @property {(src: Uint8Array, typesize: number, clevel: number, cname: string) => Uint8Array} compress
 * @property {(chunk: Uint8Array, out?: Uint8Array) => Uint8Array} decompress
 */

/** @returns {Promise<Loaded<OursApi>>} */
export async function loadOurs() {
  try {
    const m = await import("@colz/blosc-wasm");
    await m.ready();
    return {
      ok: true,
      api: {
        compress: (src, typesize, clevel, cname) =>
          m.compress(src, { typesize, clevel, shuffle: "shuffle", cname: /** @type {any} */ (cname) }),
        decompress: (chunk, out) => m.decompress(chunk, out),
      },
    };
  } catch (e) {
    return {
      ok: false,
      error: `@colz/blosc-wasm failed to load (built? pnpm --filter @colz/blosc-wasm build): ${errorMessage(e)}`,
    };
  }
}

/**
 * @typedef {object} NumcodecsApi
 * @property {(cname: string, clevel: number) => { encode(d: Uint8Array): Promise<Uint8Array>, decode(c: Uint8Array, out?: Uint8Array): Promise<Uint8Array> }} codec
 */

/** @returns {Promise<Loaded<NumcodecsApi>>} */
export async function loadNumcodecs() {
  try {
    const { default: Blosc } = await import("numcodecs/blosc");
    return {
      ok: true,
      api: {
        // shuffle 1 = SHUFFLE; blocksize 0 = automatic. numcodecs does not take a typesize (always 4).
        codec: (cname, clevel) =>
          /** @type {any} */ (Blosc.fromConfig({ id: "blosc", cname, clevel, shuffle: 1, blocksize: 0 })),
      },
    };
  } catch (e) {
    return { ok: false, error: `numcodecs failed to load: ${errorMessage(e)}` };
  }
}

/**
 * @typedef {object} Lz4Api
 * @property {(src: Buffer) => Buffer} compress
 * @property {(chunk: Buffer) => Buffer} decompress
 */

/** @returns {Promise<Loaded<Lz4Api>>} */
export async function loadLz4() {
  try {
    const m = await import("lz4-napi");
    // Raw LZ4 block with a 4-byte size prefix; no shuffle, no Blosc framing.
    return {
      ok: true,
      api: { compress: (src) => m.compressSync(src), decompress: (chunk) => m.uncompressSync(chunk) },
    };
  } catch (e) {
    return { ok: false, error: `lz4-napi failed to load: ${errorMessage(e)}` };
  }
}

/** Little-endian uint32 at `at`. @param {Uint8Array} b @param {number} at */
function u32(b, at) {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/**
 * The Blosc1 header fields, read directly (independent of the codec under test).
 * @param {Uint8Array} chunk
 */
export function rawHeader(chunk) {
  if (chunk.length < 16) return undefined;
  return {
    flags: chunk[2],
    typesize: chunk[3],
    nbytes: u32(chunk, 4),
    blocksize: u32(chunk, 8),
    cbytes: u32(chunk, 12),
  };
}
