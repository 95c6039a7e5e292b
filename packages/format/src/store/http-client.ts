/**
 * The small fetch wrapper under HttpStore and HttpZipStore: Range requests, timeouts, request
 * and byte counters, and bodies read only as far as needed. Platform-neutral (global fetch).
 */
import { ColzError } from "../errors.js";

export interface HttpStoreOptions {
  /** The fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Extra request headers (authorization, ...). */
  headers?: Record<string, string>;
  /** Per-request timeout in milliseconds, body included (default 60000). */
  timeoutMs?: number;
}

/** What an HTTP store has fetched so far; tests assert on it ("getRange fetched only N bytes"). */
export interface HttpStats {
  /** Requests sent (HEAD included). */
  requests: number;
  /** Body bytes received. */
  bytes: number;
}

/** A parsed `Content-Range: bytes start-end/total` header. */
export interface ContentRange {
  start: number;
  end: number;
  total: number | undefined;
}

/**
 * Sends requests and counts them. Responses are returned with their body still unread; read it
 * with `body()`, which stops (and cancels the stream) after `max` bytes.
 *
 * @example
 * const client = new HttpClient({}); const res = await client.send(url, "GET", "bytes=0-99");
 */
export class HttpClient {
  readonly stats: HttpStats = { requests: 0, bytes: 0 };
  private readonly fetchFn: typeof fetch;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: HttpStoreOptions) {
    const f = options.fetch ?? (globalThis.fetch as typeof fetch | undefined);
    if (f === undefined) throw new ColzError("ERR_UNSUPPORTED", "no global fetch; pass options.fetch");
    this.fetchFn = f;
    this.headers = options.headers ?? {};
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /**
   * Sends one request; network errors and timeouts become ERR_IO naming the URL.
   *
   * @example
   * const res = await client.send("https://h/t/meta/sizes", "HEAD");
   */
  async send(url: string, method: "GET" | "HEAD", range?: string): Promise<Response> {
    // identity: a compressed transfer would make Content-Length and byte ranges refer to other bytes.
    const headers: Record<string, string> = { "accept-encoding": "identity", ...this.headers };
    if (range !== undefined) headers.range = range;
    this.stats.requests++;
    try {
      return await this.fetchFn(url, { method, headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new ColzError("ERR_IO", `${method} ${url} failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
  }

  /**
   * Reads the body, at most `max` bytes (the rest is cancelled, not downloaded).
   *
   * @example
   * const bytes = await client.body(res, url, 100);
   */
  async body(res: Response, url: string, max = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
    if (res.body === null) return new Uint8Array(0);
    const reader = res.body.getReader();
    const parts: Uint8Array[] = [];
    let total = 0;
    try {
      while (total < max) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        total += value.length;
        this.stats.bytes += value.length;
      }
    } catch (e) {
      throw new ColzError("ERR_IO", `reading the body of ${url} failed`, { cause: e });
    } finally {
      if (total >= max) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
    const out = new Uint8Array(Math.min(total, max));
    let pos = 0;
    for (const p of parts) {
      const take = Math.min(p.length, out.length - pos);
      out.set(take === p.length ? p : p.subarray(0, take), pos);
      pos += take;
      if (pos === out.length) break;
    }
    return out;
  }

  /**
   * Discards a body we do not need (lets the connection be reused).
   *
   * @example
   * if (res.status === 404) await client.discard(res);
   */
  async discard(res: Response): Promise<void> {
    await res.body?.cancel().catch(() => undefined);
  }
}

/**
 * Parses `Content-Range: bytes 0-99/1234` (total may be "*").
 *
 * @example
 * parseContentRange("bytes 0-99/1234"); // { start: 0, end: 99, total: 1234 }
 */
export function parseContentRange(header: string | null): ContentRange | undefined {
  const m = header === null ? null : /^bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (m === null) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === "*" ? undefined : Number(m[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  if (total !== undefined && (!Number.isSafeInteger(total) || end >= total)) return undefined;
  return { start, end, total };
}

/**
 * The total size from `Content-Range: bytes *\/1234` (a 416 response), if present.
 *
 * @example
 * unsatisfiedRangeTotal("bytes *\/1234"); // 1234
 */
export function unsatisfiedRangeTotal(header: string | null): number | undefined {
  const m = header === null ? null : /^bytes\s+\*\/(\d+)\s*$/i.exec(header);
  const n = m === null ? Number.NaN : Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * ERR_IO for an unexpected HTTP status, naming the method, URL and status.
 *
 * @example
 * throw statusError("GET", url, res);
 */
export function statusError(method: string, url: string, res: Response): ColzError {
  return new ColzError("ERR_IO", `${method} ${url} failed: HTTP ${res.status} ${res.statusText}`.trim());
}
