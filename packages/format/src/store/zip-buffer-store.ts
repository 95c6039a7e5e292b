/**
 * A read-only Store over a whole ZIP archive already in memory (one read of a small file),
 * serving members as views of that buffer: no file handle, no read per member. Platform-neutral.
 */
import { ColzError } from "../errors.js";
import { crc32 } from "./crc32.js";
import { closedError, readOnlyError } from "./guards.js";
import { normalizePrefix, sortKeys, validateKey, validateRange } from "./keys.js";
import type { Store, WriterLock } from "./types.js";
import { findLastCommit, viewSource } from "./zip-directory.js";
import { FLAG_ENCRYPTED, METHOD_STORED, type ZipEntry } from "./zip-format.js";
import { checkLocalHeader } from "./zip-parse.js";

/**
 * The committed state of the archive in `bytes` (the last complete central directory, exactly
 * as ZipStore reads it; a torn tail is ignored), as a read-only Store. `get`/`getRange` return
 * copies like every Store; `memberView` returns a CRC-checked view without copying, for callers
 * that decode straight out of the archive. The Store only views `bytes`: do not change them
 * while it is in use.
 *
 * @example
 * const store = await ZipBufferStore.open(fs.readFileSync("t.zip"), "t.zip");
 * const sizes = store.memberView("meta/sizes"); // Uint8Array view, CRC-32 checked
 */
export class ZipBufferStore implements Store {
  readonly readOnly = true;
  private sortedKeys: string[] | undefined;
  private closed = false;

  private constructor(
    readonly description: string,
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, ZipEntry>,
  ) {}

  /**
   * Parses the archive's last commit. ERR_NOT_A_CONTAINER (no ZIP archive), ERR_CORRUPT_META
   * (no valid central directory), as for ZipStore.open.
   *
   * @example
   * const store = await ZipBufferStore.open(bytes, "/data/k.zip");
   */
  static async open(bytes: Uint8Array, description: string): Promise<ZipBufferStore> {
    const commit = await findLastCommit(viewSource(bytes, description));
    return new ZipBufferStore(description, bytes, commit.entries);
  }

  /** Member names, in central-directory order. @example [...store.names()] */
  names(): IterableIterator<string> {
    return this.entries.keys();
  }

  /**
   * The member's bytes as a view of the archive buffer, or undefined when there is no such
   * member. The local header is checked and the CRC-32 verified on every call: ERR_CORRUPT_META
   * for a bad local header, ERR_CORRUPT_CHUNK for a CRC mismatch, ERR_UNSUPPORTED for a
   * compressed or encrypted member; each names the member, the file and the offset.
   * `checkCrc: false` skips only the CRC-32, for a caller that verifies the bytes itself (a
   * chunk file against its sidecar's checksum, FORMAT.md §11.2).
   *
   * @example
   * const chunkFile = store.memberView("i/data/__0.blp");
   */
  memberView(key: string, checkCrc = true): Uint8Array | undefined {
    if (this.closed) throw closedError(this.description, "get");
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const data = this.locate(entry);
    if (checkCrc && crc32(data) !== entry.crc32) {
      throw new ColzError(
        "ERR_CORRUPT_CHUNK",
        `member ${JSON.stringify(key)} of ${this.description} at offset ${entry.dataOffset} fails its CRC-32 check`,
      );
    }
    return data;
  }

  /** A CRC-checked copy of the member. @example store.getSync("meta/sizes") */
  getSync(key: string): Uint8Array | undefined {
    validateKey(key, this.description);
    return this.memberView(key)?.slice();
  }

  /** @example await store.get("meta/sizes") */
  async get(key: string): Promise<Uint8Array | undefined> {
    return this.getSync(key);
  }

  /** A copy of bytes [offset, offset + length) of the member (clamped), not CRC-checked (a part cannot be). */
  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    this.check("getRange", key);
    validateRange(key, offset, length);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const data = this.locate(entry);
    const start = Math.min(offset, data.length);
    return data.slice(start, start + Math.min(length, data.length - start));
  }

  /** @example await store.size("meta/sizes") */
  async size(key: string): Promise<number | undefined> {
    this.check("size", key);
    return this.entries.get(key)?.size;
  }

  /** @example await store.has("meta/sizes") */
  async has(key: string): Promise<boolean> {
    this.check("has", key);
    return this.entries.has(key);
  }

  /** @example await store.list("meta/") */
  async list(prefix?: string): Promise<string[]> {
    if (this.closed) throw closedError(this.description, "list");
    const p = normalizePrefix(prefix);
    this.sortedKeys ??= sortKeys([...this.entries.keys()]);
    return p === "" ? [...this.sortedKeys] : this.sortedKeys.filter((k) => k.startsWith(p));
  }

  async set(key: string): Promise<void> {
    throw readOnlyError(this.description, "set", key);
  }

  async delete(key: string): Promise<void> {
    throw readOnlyError(this.description, "delete", key);
  }

  /** Nothing to commit: read-only. */
  async commit(): Promise<void> {
    if (this.closed) throw closedError(this.description, "commit");
  }

  async lock(): Promise<WriterLock> {
    throw readOnlyError(this.description, "lock");
  }

  /** Drops nothing (the buffer belongs to the caller); later calls throw ERR_CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
  }

  /** The member's data as a view, after checking method and local header. */
  private locate(entry: ZipEntry): Uint8Array {
    if (entry.method !== METHOD_STORED || entry.flags & FLAG_ENCRYPTED) {
      const what = entry.flags & FLAG_ENCRYPTED ? "encrypted" : `compressed (method ${entry.method})`;
      throw new ColzError(
        "ERR_UNSUPPORTED",
        `member ${JSON.stringify(entry.name)} of ${this.description} is ${what}; only stored members can be read`,
      );
    }
    if (entry.dataOffset === undefined) {
      const checked = checkLocalHeader(this.bytes.subarray(entry.localOffset, entry.limit), entry);
      if (typeof checked === "string") throw new ColzError("ERR_CORRUPT_META", `${this.description}: ${checked}`);
      entry.dataOffset = checked;
    }
    return this.bytes.subarray(entry.dataOffset, entry.dataOffset + entry.size);
  }

  private check(op: string, key: string): void {
    if (this.closed) throw closedError(this.description, op);
    validateKey(key, this.description);
  }
}
