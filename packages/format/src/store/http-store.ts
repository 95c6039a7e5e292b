import { ColzError } from "../errors.js";
import { closedError, readOnlyError } from "./guards.js";
import {
  HttpClient,
  type HttpStats,
  type HttpStoreOptions,
  parseContentRange,
  statusError,
  unsatisfiedRangeTotal,
} from "./http-client.js";
import { validateKey, validateRange } from "./keys.js";
import type { Store, WriterLock } from "./types.js";

export type { HttpStats, HttpStoreOptions } from "./http-client.js";

/**
 * A read-only Store over the directory layout served by any static web server or object store:
 * key "meta/sizes" is `GET <baseUrl>/meta/sizes` (each segment percent-encoded). `getRange`
 * sends `Range: bytes=a-b` and reads only those bytes; a server that ignores Range answers 200
 * and the body is cut off after the bytes needed. 404 and 410 mean "no such key".
 *
 * `list()` throws ERR_UNSUPPORTED: a plain static server has no way to enumerate files, and
 * layouts know their keys from their metadata (`__rootdirs__`, `meta/sizes`) anyway.
 * Mutations and `lock()` throw ERR_READ_ONLY naming the URL; `commit()` does nothing.
 * `stats` counts requests and body bytes.
 *
 * @example
 * const store = await HttpStore.open("https://data.example.org/t.bcolz/");
 * const sizes = await store.get("meta/sizes");
 * store.stats; // { requests: 1, bytes: 48 }
 */
export class HttpStore implements Store {
  readonly readOnly = true;
  private readonly client: HttpClient;
  private closed = false;

  private constructor(
    readonly description: string,
    private readonly base: string,
    options: HttpStoreOptions,
  ) {
    this.client = new HttpClient(options);
  }

  /**
   * Opens the store at `baseUrl` (no request is sent until the first read).
   * ERR_BAD_ARGUMENT when the URL does not parse or is not http(s).
   *
   * @example
   * const store = await HttpStore.open("http://127.0.0.1:8080/t.bcolz");
   */
  static async open(baseUrl: string, options: HttpStoreOptions = {}): Promise<HttpStore> {
    const url = parseHttpUrl(baseUrl);
    const base = url.href.endsWith("/") ? url.href : `${url.href}/`;
    return new HttpStore(base, base, options);
  }

  /** Requests and bytes fetched so far. @example store.stats.bytes */
  get stats(): Readonly<HttpStats> {
    return this.client.stats;
  }

  /** @example await store.get("meta/sizes") */
  async get(key: string): Promise<Uint8Array | undefined> {
    const url = this.url("get", key);
    const res = await this.client.send(url, "GET");
    if (isGone(res)) return this.absent(res);
    if (!res.ok) throw await this.fail("GET", url, res);
    return this.client.body(res, url);
  }

  /** One Range request for exactly the bytes asked for. @example await store.getRange("data/__0.blp", 0, 16) */
  async getRange(key: string, offset: number, length: number): Promise<Uint8Array | undefined> {
    const url = this.url("getRange", key);
    validateRange(key, offset, length);
    if (length === 0) return (await this.size(key)) === undefined ? undefined : new Uint8Array(0);
    const res = await this.client.send(url, "GET", `bytes=${offset}-${offset + length - 1}`);
    if (isGone(res)) return this.absent(res);
    if (res.status === 416) {
      await this.client.discard(res);
      return new Uint8Array(0); // the file exists and the range starts at or after its end
    }
    if (res.status === 206) {
      const range = parseContentRange(res.headers.get("content-range"));
      if (range === undefined || range.start !== offset) {
        await this.client.discard(res);
        throw new ColzError(
          "ERR_IO",
          `GET ${url}: bad Content-Range ${res.headers.get("content-range")} for offset ${offset}`,
        );
      }
      return this.client.body(res, url, length);
    }
    if (res.status === 200) {
      // The server ignored Range: read up to the end of the range and stop.
      const bytes = await this.client.body(res, url, offset + length);
      return bytes.slice(Math.min(offset, bytes.length));
    }
    throw await this.fail("GET", url, res);
  }

  /** HEAD (or a 1-byte Range request when the server sends no Content-Length). @example await store.size(k) */
  async size(key: string): Promise<number | undefined> {
    const url = this.url("size", key);
    const head = await this.client.send(url, "HEAD");
    if (isGone(head)) return undefined;
    if (head.ok) {
      const n = Number(head.headers.get("content-length") ?? Number.NaN);
      if (Number.isSafeInteger(n) && n >= 0 && head.status === 200) return n;
    } else if (head.status !== 405 && head.status !== 501) {
      throw statusError("HEAD", url, head);
    }
    const res = await this.client.send(url, "GET", "bytes=0-0");
    if (isGone(res)) return this.absent(res);
    if (res.status === 416) {
      await this.client.discard(res);
      return unsatisfiedRangeTotal(res.headers.get("content-range")) ?? 0;
    }
    if (res.status === 206) {
      const total = parseContentRange(res.headers.get("content-range"))?.total;
      await this.client.discard(res);
      if (total === undefined) throw new ColzError("ERR_IO", `GET ${url}: no total size in Content-Range`);
      return total;
    }
    if (res.status === 200) return (await this.client.body(res, url)).length;
    throw await this.fail("GET", url, res);
  }

  /** @example await store.has("meta/sizes") */
  async has(key: string): Promise<boolean> {
    return (await this.size(key)) !== undefined;
  }

  /** Always throws ERR_UNSUPPORTED: static servers cannot enumerate keys. @example await store.list() // throws */
  async list(_prefix?: string): Promise<string[]> {
    if (this.closed) throw closedError(this.description, "list");
    throw new ColzError(
      "ERR_UNSUPPORTED",
      `list() is not possible on ${this.description}: a static HTTP server cannot enumerate keys`,
    );
  }

  /** Throws ERR_READ_ONLY. @example await store.set("k", bytes) // throws */
  async set(key: string, _value: Uint8Array): Promise<void> {
    this.url("set", key);
    throw readOnlyError(this.description, "set", key);
  }

  /** Throws ERR_READ_ONLY. @example await store.delete("k") // throws */
  async delete(key: string): Promise<void> {
    this.url("delete", key);
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

  private url(op: string, key: string): string {
    if (this.closed) throw closedError(this.description, op);
    validateKey(key, this.description);
    return this.base + key.split("/").map(encodeURIComponent).join("/");
  }

  private async absent(res: Response): Promise<undefined> {
    await this.client.discard(res);
    return undefined;
  }

  private async fail(method: string, url: string, res: Response): Promise<ColzError> {
    await this.client.discard(res);
    return statusError(method, url, res);
  }
}

/**
 * Parses an http(s) URL; ERR_BAD_ARGUMENT otherwise.
 *
 * @example
 * parseHttpUrl("https://h/x.zip").href;
 */
export function parseHttpUrl(s: string): URL {
  let url: URL;
  try {
    url = new URL(s);
  } catch (e) {
    throw new ColzError("ERR_BAD_ARGUMENT", `${JSON.stringify(s)} is not a URL`, { cause: e });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ColzError("ERR_BAD_ARGUMENT", `${s} is not an http(s) URL`);
  }
  return url;
}

function isGone(res: Response): boolean {
  return res.status === 404 || res.status === 410;
}
