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

/**
 * A chunk's Blosc header must agree with the metadata: a full chunk decodes to exactly `chunksize`
 * bytes, the leftover to at least its `rows` and at most `chunksize` (bcolz may leave extra rows in
 * it). ERR_CORRUPT_CHUNK names the chunk file otherwise.
 *
 * @example
 * checkChunkNbytes("price/data/__0.blp", info.nbytes, true, 1048576, 131072, 8);
 */
export function checkChunkNbytes(
  key: string,
  nbytes: number,
  full: boolean,
  chunksize: number,
  rows: number,
  atomsize: number,
): void {
  const need = rows * atomsize;
  if (full ? nbytes !== chunksize : nbytes < need || nbytes > chunksize) {
    const expected = full ? `${chunksize}` : `${need}..${chunksize}`;
    throw new ColzError(
      "ERR_CORRUPT_CHUNK",
      `chunk file ${key}: Blosc header says ${nbytes} bytes, the metadata expects ${expected} (${rows} rows of ${atomsize} bytes)`,
    );
  }
}
