import type { Dtype } from "../dtype/dtype.js";
import { ColzError } from "../errors.js";
import { type CArraySizes, type CArrayStorage, MAX_CHUNK_BYTES } from "./carray-meta.js";

/**
 * Cross-checks shape, dtype and chunklen of a carray's metadata: every product must stay an exact
 * JS integer and a chunk within the Blosc1 limit. ERR_CORRUPT_META names the file at fault.
 *
 * @example
 * checkGeometry(sizes, storage, dtype, "meta/sizes", "meta/storage");
 */
export function checkGeometry(
  sizes: CArraySizes,
  storage: CArrayStorage,
  dtype: Dtype,
  sizesKey: string,
  storageKey: string,
): void {
  let atomsize = dtype.itemsize;
  for (const d of sizes.shape.slice(1)) {
    atomsize *= d;
    if (!Number.isSafeInteger(atomsize) || atomsize > MAX_CHUNK_BYTES) {
      throw new ColzError(
        "ERR_CORRUPT_META",
        `${sizesKey}: atom shape ${JSON.stringify(sizes.shape.slice(1))} is too large`,
      );
    }
  }
  if (atomsize === 0) throw new ColzError("ERR_CORRUPT_META", `${sizesKey}: rows of zero bytes are not supported`);
  const total = sizes.shape[0]! * atomsize;
  if (!Number.isSafeInteger(total)) {
    throw new ColzError(
      "ERR_CORRUPT_META",
      `${sizesKey}: ${sizes.shape[0]} rows of ${atomsize} bytes exceed 2^53 bytes`,
    );
  }
  const chunksize = storage.chunklen * atomsize;
  if (chunksize > MAX_CHUNK_BYTES) {
    throw new ColzError(
      "ERR_CORRUPT_META",
      `${storageKey}: chunklen ${storage.chunklen} × ${atomsize} bytes exceeds the Blosc1 chunk limit of ${MAX_CHUNK_BYTES} bytes`,
    );
  }
}
