// colz: one KeyStore (@colz/store) per flavor, written with `set(key, { i, f })` and read with
// `getColumns(key)`: the public API, with the store's own chunking and defaults.
import { KeyStore } from "@colz/store/node";

/**
 * @param {"zip" | "dir"} layout
 * @param {{ cname: "lz4" | "blosclz", clevel: number }} cp
 * @returns {import("../flavors.mjs").FlavorImpl}
 */
export function colzFlavor(layout, { cname, clevel }) {
  /** @type {import("@colz/ctable").CParamsInput} */
  const cparams = { cname, clevel, shuffle: "shuffle" };
  return {
    async writer(dir, { sync }) {
      const ks = await KeyStore.open(dir, { mode: "w", layout, cparams, sync });
      return {
        async put(key, { i, f }) {
          await ks.set(key, { i, f });
        },
        close: () => ks.close(),
      };
    },
    async reader(dir) {
      const ks = await KeyStore.open(dir, { mode: "r" });
      return {
        async get(key) {
          const cols = await ks.getColumns(key);
          if (!cols) throw new Error(`colz: key ${key} not found`);
          return /** @type {import("../data.mjs").KeyColumns} */ (/** @type {unknown} */ (cols));
        },
        close: () => ks.close(),
      };
    },
  };
}
