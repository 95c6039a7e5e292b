import { ColzError } from "../errors.js";
import { crc32 } from "./crc32.js";
import { closedError, readOnlyError } from "./guards.js";
import { HttpClient, type HttpStats, type HttpStoreOptions, parseContentRange, statusError } from "./http-client.js";
import { parseHttpUrl } from "./http-store.js";
import { normalizePrefix, sortKeys, validateKey, validateRange } from "./keys.js";
import type { Store, WriterLock } from "./types.js";
import { type ByteSource, findLastCommit, memorySource } from "./zip-directory.js";
import { MAX_TAIL, ZIP64_EOCD_SIZE, type ZipEntry } from "./zip-format.js";
import { readMember } from "./zip-member.js";

/** The first request fetches this many bytes from the end: any EOCD, ZIP64 records, and small CDs. */
const PROBE_BYTES = MAX_TAIL + ZIP64_EOCD_SIZE;

/**
 * A read-only Store over a single-file ZIP store (as ZipStore writes it) on any HTTP server
 * that honours Range requests. Opening costs one request for small stores: a suffix range
 * (`Range: bytes=-65633`) returns the file size in Content-Range and the tail holding the
 * EOCD and, usually, the whole central directory; a larger directory costs one more request.
 * After that `list`, `has` and `size` need no request, `get` needs one (local header and data
 * together, CRC-checked) and `getRange` one (plus one for the local header the first time a
 * member is read far from its start). A server that ignores Range answers the probe with the
 * whole file, which is then served from memory. Like ZipStore, a torn tail is skipped and the
 * last committed state is served. The remote file must not change while the store is open.
 *
 * @example
 * const store = await HttpZipStore.open("https://data.example.org/t.zip");
 * await store.list(); // from the central directory, no further request
 * store.stats;        // { requests: 1, bytes: ... }
 */
export class HttpZipStore implements Store {
  readonly readOnly = true;
  private closed = false;
  private sorted: string[] | undefined;

  private constructor(
    readonly description: string,
    private readonly client: HttpClient,
    private readonly source: ByteSource,
    private readonly entries: Map<string, ZipEntry>,
  ) {}

  /**
   * Fetches the tail and parses the central directory. ERR_NOT_FOUND for 404, ERR_NOT_A_CONTAINER
   * or ERR_CORRUPT_META when the file is not a readable ZIP store.
   *
   * @example
   * const store = await HttpZipStore.open("http://127.0.0.1:8080/t.zip");
   */
  static async open(url: string, options: HttpStoreOptions = {}): Promise<HttpZipStore> {
    const href = parseHttpUrl(url).href;
    const client = new HttpClient(options);
    const res = await client.send(href, "GET", `bytes=-${PROBE_BYTES}`);
    let source: ByteSource;
    if (res.status === 404 || res.status === 410) {
      await client.discard(res);
      throw new ColzError("ERR_NOT_FOUND", `no zip store at ${href} (HTTP ${res.status})`);
    } else if (res.status === 416) {
      await client.discard(res);
      throw new ColzError("ERR_NOT_A_CONTAINER", `${href} is not a ZIP archive (empty file)`);
    } else if (res.status === 200) {
      source = memorySource(await client.body(res, href), href);
    } else if (res.status === 206) {
      const range = parseContentRange(res.headers.get("content-range"));
      if (range?.total === undefined) {
        await client.discard(res);
        throw new ColzError("ERR_IO", `GET ${href}: no total size in Content-Range`);
      }
      const tail = await client.body(res, href, range.end - range.start + 1);
      source = rangeSource(client, href, range.total, range.start, tail);
    } else {
      await client.discard(res);
      throw statusError("GET", href, res);
    }
    const commit = await findLastCommit(source);
    return new HttpZipStore(href, client, source, commit.entries);
  }

  /** Requests and bytes fetched so far. @example store.stats.requests */
  get stats(): Readonly<HttpStats> {
    return this.client.stats;
  }

  /** @example await store.get("meta/sizes") */
  async get(key: string): Promise<Uint8Array | undefined> {
    const entry = this.entry("get", key);
    if (entry === undefined) return undefined;
    return readMember(this.source.read, entry, this.description, crc32);
  }

  /** @example await store.getRange("data/__0.blp", 0, 16) */
  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    const entry = this.entry("getRange", key);
    validateRange(key, offset, length);
    if (entry === undefined) return undefined;
    return readMember(this.source.read, entry, this.description, crc32, { start: offset, length });
  }

  /** From the central directory (no request). @example await store.size("meta/sizes") */
  async size(key: string): Promise<number | undefined> {
    return this.entry("size", key)?.size;
  }

  /** From the central directory (no request). @example await store.has("meta/sizes") */
  async has(key: string): Promise<boolean> {
    return this.entry("has", key) !== undefined;
  }

  /** From the central directory (no request). @example await store.list("price/") */
  async list(prefix?: string): Promise<string[]> {
    if (this.closed) throw closedError(this.description, "list");
    const p = normalizePrefix(prefix);
    this.sorted ??= sortKeys([...this.entries.keys()]);
    return this.sorted.filter((k) => k.startsWith(p));
  }

  /** Throws ERR_READ_ONLY. @example await store.set("k", bytes) // throws */
  async set(key: string, _value: Uint8Array): Promise<void> {
    this.entry("set", key);
    throw readOnlyError(this.description, "set", key);
  }

  /** Throws ERR_READ_ONLY. @example await store.delete("k") // throws */
  async delete(key: string): Promise<void> {
    this.entry("delete", key);
    throw readOnlyError(this.description, "delete", key);
  }

  /** Nothing to make durable. @example await store.commit() */
  async commit(): Promise<void> {
    if (this.closed) throw closedError(this.description, "commit");
  }

  /** Throws ERR_READ_ONLY: there is no writer. @example await store.lock() // throws */
  async lock(): Promise<WriterLock> {
    if (this.closed) throw closedError(this.description, "lock");
    throw readOnlyError(this.description, "lock");
  }

  /** Later calls throw ERR_CLOSED. Idempotent. @example await store.close() */
  async close(): Promise<void> {
    this.closed = true;
  }

  private entry(op: string, key: string): ZipEntry | undefined {
    if (this.closed) throw closedError(this.description, op);
    validateKey(key, this.description);
    return this.entries.get(key);
  }
}

/** Reads through Range requests, serving what lies inside the already fetched tail from memory. */
function rangeSource(client: HttpClient, url: string, size: number, tailStart: number, tail: Uint8Array): ByteSource {
  return {
    description: url,
    size,
    read: async (offset, length) => {
      if (offset >= tailStart && offset + length <= tailStart + tail.length) {
        return tail.slice(offset - tailStart, offset - tailStart + length); // a copy: callers may mutate it
      }
      if (length === 0) return new Uint8Array(0);
      const res = await client.send(url, "GET", `bytes=${offset}-${offset + length - 1}`);
      if (res.status === 206) {
        const range = parseContentRange(res.headers.get("content-range"));
        if (range?.start === offset) {
          const bytes = await client.body(res, url, length);
          if (bytes.length === length) return bytes;
        } else {
          await client.discard(res);
        }
        throw new ColzError(
          "ERR_CORRUPT_META",
          `${url}: short or misplaced range at offset ${offset} (${length} bytes)`,
        );
      }
      if (res.status === 200) {
        const bytes = await client.body(res, url, offset + length);
        if (bytes.length === offset + length) return bytes.subarray(offset);
        throw new ColzError("ERR_CORRUPT_META", `${url}: file ended before offset ${offset + length}`);
      }
      await client.discard(res);
      throw statusError("GET", url, res);
    },
  };
}
