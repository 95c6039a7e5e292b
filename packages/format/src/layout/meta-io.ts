import { ColzError } from "../errors.js";
import type { Store } from "../store/types.js";

/** Size limits of metadata files: far above anything legitimate, far below a harmful read. */
export const META_LIMITS = {
  /** meta/sizes, meta/storage. */
  meta: 1 << 20,
  /** meta/colz and data/__N.colz sidecars. */
  small: 64 << 10,
  /** __rootdirs__ (one name per column). */
  rootdirs: 16 << 20,
} as const;

/**
 * Reads a metadata file of bounded size: the whole value, undefined when the key does not
 * exist, ERR_CORRUPT_META naming the key when it is larger than `max` bytes. Only max + 1 bytes
 * are ever fetched, so a damaged or hostile file cannot drive a huge read.
 *
 * @example
 * const bytes = await getMetaFile(store, "meta/sizes", META_LIMITS.meta);
 */
export async function getMetaFile(store: Store, key: string, max: number): Promise<Uint8Array | undefined> {
  const bytes = await store.getRange(key, 0, max + 1);
  if (bytes !== undefined && bytes.length > max) {
    throw new ColzError("ERR_CORRUPT_META", `${key}: larger than ${max} bytes, too large for this metadata file`);
  }
  return bytes;
}
