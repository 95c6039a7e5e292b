// zarrita (zarr v3 in JS) with numcodecs' Blosc: one zarr group per key holding two 1-d arrays,
// `i` (int64) and `f` (float64), each one chunk of up to MAX_CHUNK elements, codecs
// [bytes (little-endian), blosc]. Written with zarr.create + zarr.set, read with zarr.open.v3 +
// zarr.get, through @zarrita/storage's FileSystemStore.
//
// Two workarounds, both for bugs in zarrita 0.7 + numcodecs 0.3.2 (see the README):
// - zarrita hands the v3 blosc configuration to numcodecs' Blosc unchanged, but the v3 spec spells
//   shuffle as a string ("shuffle") and numcodecs only understands numbers: "shuffle" silently
//   means no shuffle (int64 in [0, 1000) then compresses 10x worse). We register a "blosc" codec
//   that maps the spec's strings to numcodecs' numbers and otherwise is numcodecs' Blosc, so the
//   metadata on disk stays spec-conformant.
// - zarr.get of a zero-length array throws ("Input contains an empty iterator"); keys with 0 rows
//   are read as empty arrays without calling it.
import FileSystemStore from "@zarrita/storage/fs";
import Blosc from "numcodecs/blosc";
import * as zarr from "zarrita";

/** Elements per chunk at most (8 MB of int64/float64); smaller arrays are a single chunk. */
export const MAX_CHUNK = 1 << 20;
/** Blosc settings of the zarrita flavor: numcodecs' defaults, the same as colz's default flavor. */
export const ZARR_BLOSC = Object.freeze({ cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 8, blocksize: 0 });

/** @type {Record<string, number>} */
const SHUFFLE = { noshuffle: 0, shuffle: 1, bitshuffle: 2 };

let registered = false;
function registerBlosc() {
  if (registered) return;
  registered = true;
  zarr.registry.set("blosc", async () => ({
    kind: "bytes_to_bytes",
    /** @param {any} config */
    fromConfig(config) {
      const shuffle = typeof config.shuffle === "string" ? SHUFFLE[config.shuffle] : config.shuffle;
      if (shuffle === undefined) throw new Error(`blosc: unknown shuffle ${config.shuffle}`);
      return Blosc.fromConfig({ ...config, shuffle });
    },
  }));
}

/** @param {number} n */
function chunkLen(n) {
  return Math.max(1, Math.min(n, MAX_CHUNK));
}

/** @type {import("../flavors.mjs").FlavorImpl} */
export const zarrita = {
  async writer(dir, { sync }) {
    registerBlosc();
    const fsStore = new FileSystemStore(dir);
    /** @type {any} */
    let store = fsStore;
    if (sync) {
      // FileSystemStore has no fsync; a store that writes through writeParts does.
      const { writeParts } = await import("./files.mjs");
      const { mkdirSync } = await import("node:fs");
      const { dirname, join } = await import("node:path");
      store = {
        get: fsStore.get.bind(fsStore),
        /** @param {string} key @param {Uint8Array} value */
        async set(key, value) {
          const path = join(dir, key.replace(/^\//, ""));
          mkdirSync(dirname(path), { recursive: true });
          writeParts(path, [value], true);
        },
      };
    }
    const root = zarr.root(store);
    const codecs = [
      { name: "bytes", configuration: { endian: "little" } },
      { name: "blosc", configuration: { ...ZARR_BLOSC } },
    ];
    return {
      async put(key, { i, f }) {
        const group = await zarr.create(root.resolve(key));
        const n = i.length;
        for (const [name, data, dtype] of /** @type {const} */ ([
          ["i", i, "int64"],
          ["f", f, "float64"],
        ])) {
          const arr = await zarr.create(group.resolve(name), { shape: [n], chunkShape: [chunkLen(n)], dtype, codecs });
          if (n > 0) await zarr.set(arr, null, { data, shape: [n], stride: [1] });
        }
      },
      close() {},
    };
  },
  async reader(dir) {
    registerBlosc();
    const root = zarr.root(new FileSystemStore(dir));
    /** @param {string} path */
    async function read(path) {
      const arr = await zarr.open.v3(root.resolve(path), { kind: "array" });
      if (arr.shape[0] === 0) return arr.dtype === "int64" ? new BigInt64Array(0) : new Float64Array(0);
      return (await zarr.get(arr)).data;
    }
    return {
      async get(key) {
        const i = await read(`${key}/i`);
        const f = await read(`${key}/f`);
        return /** @type {import("../data.mjs").KeyColumns} */ ({ i, f });
      },
      close() {},
    };
  },
};
