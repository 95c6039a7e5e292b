// The flavors of the key-store benchmark: how each one is named, described and loaded. The
// implementations live in flavors/*.mjs and are imported only when a selected flavor runs.

/**
 * @typedef {object} Writer
 * @property {(key: string, cols: import("./data.mjs").KeyColumns) => unknown} put  may return a promise
 * @property {() => unknown} close  may return a promise
 */

/**
 * @typedef {object} Reader
 * @property {(key: string) => import("./data.mjs").KeyColumns | Promise<import("./data.mjs").KeyColumns>} get
 *   both columns in full, as BigInt64Array + Float64Array
 * @property {() => unknown} close  may return a promise
 */

/**
 * @typedef {object} FlavorImpl
 * @property {(dir: string, ctx: { sync: boolean }) => Promise<Writer>} writer  `dir` exists and is empty
 * @property {(dir: string) => Promise<Reader>} reader
 */

/**
 * @typedef {object} Flavor
 * @property {string} name
 * @property {string} group        raw, zlib, colz, arrow or zarrita
 * @property {string} label        what it is, for the report
 * @property {boolean} compressed  takes part in "colz ahead of every other compressed flavor"
 * @property {number} estRatio     on-disk bytes / raw bytes as measured at the default options (disk estimate only)
 * @property {{ layout: "zip" | "dir", cname: "lz4" | "blosclz", clevel: number }} [colz]  colz flavors: how they store
 * @property {() => Promise<FlavorImpl>} load
 */

/** The colz flavor the issue's targets are checked on: the KeyStore defaults (zip, lz4, 5, shuffle). */
export const HEADLINE = "colz-zip-lz4-5";

/** @param {"zip" | "dir"} layout @param {"lz4" | "blosclz"} cname @param {number} clevel @returns {Flavor} */
function colz(layout, cname, clevel) {
  const name = clevel === 0 ? `colz-${layout}-0` : `colz-${layout}-${cname}-${clevel}`;
  const what = clevel === 0 ? "clevel 0 (stored)" : `${cname} clevel ${clevel}, shuffle`;
  return {
    name,
    group: "colz",
    label: `@colz/store KeyStore, ${layout} layout (${layout === "zip" ? "one zip file" : "one bcolz directory"} per key), ${what}`,
    compressed: clevel > 0,
    estRatio: (clevel === 0 ? 1.01 : 0.56) + (layout === "dir" ? 0.12 : 0),
    colz: { layout, cname, clevel },
    load: async () => (await import("./flavors/colz.mjs")).colzFlavor(layout, { cname, clevel }),
  };
}

/** @param {number[]} clevels @returns {Flavor[]} every flavor, in run order */
export function allFlavors(clevels) {
  /** @type {Flavor[]} */
  const colzFlavors = [];
  for (const layout of /** @type {const} */ (["zip", "dir"])) {
    for (const clevel of clevels) {
      if (clevel === 0) colzFlavors.push(colz(layout, "lz4", 0));
      else for (const cname of /** @type {const} */ (["lz4", "blosclz"])) colzFlavors.push(colz(layout, cname, clevel));
    }
  }
  return [
    {
      name: "raw",
      group: "raw",
      label: "one uncompressed file per key (16-byte header + int64 + float64 bytes; the .npz analogue)",
      compressed: false,
      estRatio: 1,
      load: async () => (await import("./flavors/files.mjs")).raw,
    },
    {
      name: "zlib",
      group: "zlib",
      label: "one file per key, the raw bytes deflated by node:zlib at level 9 (the savez_compressed analogue)",
      compressed: true,
      estRatio: 0.59,
      load: async () => (await import("./flavors/files.mjs")).zlib,
    },
    ...colzFlavors,
    ...["none", "lz4", "zstd"].map((codec) => ({
      name: `arrow-${codec}`,
      group: "arrow",
      label: `one Arrow IPC file per key (apache-arrow tableToIPC/tableFromIPC), ${codec === "none" ? "uncompressed" : `${codec === "lz4" ? "LZ4_FRAME" : "ZSTD"} body compression`}`,
      compressed: codec !== "none",
      estRatio: codec === "none" ? 1 : codec === "lz4" ? 0.72 : 0.6,
      load: async () =>
        (await import("./flavors/arrow.mjs")).arrowFlavor(/** @type {"none" | "lz4" | "zstd"} */ (codec)),
    })),
    {
      name: "zarrita-blosc",
      group: "zarrita",
      label: "zarrita (zarr v3), one group per key, two arrays, numcodecs Blosc lz4 clevel 5 shuffle",
      compressed: true,
      estRatio: 0.76,
      load: async () => (await import("./flavors/zarrita.mjs")).zarrita,
    },
  ];
}

/** @param {number[]} clevels */
export function flavorNames(clevels) {
  return allFlavors(clevels).map((f) => f.name);
}

/** Names accepted by -f besides flavor names. @type {Record<string, (name: string) => boolean>} */
export const FLAVOR_GROUPS = {
  all: () => true,
  baselines: (n) => n === "raw" || n === "zlib",
  colz: (n) => n.startsWith("colz-"),
  "colz-zip": (n) => n.startsWith("colz-zip-"),
  "colz-dir": (n) => n.startsWith("colz-dir-"),
  arrow: (n) => n.startsWith("arrow-"),
  zarrita: (n) => n.startsWith("zarrita"),
};
