import { createReadStream, promises as fsp } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve, sep } from "node:path";

export interface StaticServer {
  /** Base URL ending with "/". */
  url: string;
  /** Every request seen, e.g. "GET /t.zip bytes=-65633". */
  log: string[];
  close(): Promise<void>;
}

export interface StaticServerOptions {
  /** When false the server ignores Range headers and always answers 200 with the whole file. */
  ranges?: boolean;
}

/**
 * A minimal static file server on 127.0.0.1 for tests: GET and HEAD, single byte ranges
 * ("a-b", "a-", "-n") answered with 206/416 like nginx, 404 for missing files and directories.
 *
 * @example
 * const server = await startStaticServer("/tmp/site"); await fetch(server.url + "t.zip");
 */
export async function startStaticServer(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const base = resolve(root);
  const log: string[] = [];
  const server = createServer((req, res) => {
    handle(base, options.ranges ?? true, req, res, log).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    log,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

async function handle(
  base: string,
  ranges: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  log: string[],
): Promise<void> {
  const range = req.headers.range;
  log.push(`${req.method} ${req.url}${range ? ` ${range}` : ""}`);
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405).end();
    return;
  }
  const pathname = new URL(req.url ?? "/", "http://x").pathname;
  let segments: string[];
  try {
    segments = pathname
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = join(base, ...segments);
  if (segments.some((s) => s === ".." || s.includes("/")) || !(file === base || file.startsWith(base + sep))) {
    res.writeHead(403).end();
    return;
  }
  const st = await fsp.stat(file).catch(() => undefined);
  if (st === undefined || !st.isFile()) {
    res.writeHead(404).end();
    return;
  }
  const size = st.size;
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (ranges && range !== undefined) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range);
    if (m === null || (m[1] === "" && m[2] === "")) {
      res.writeHead(416, { "content-range": `bytes */${size}` }).end();
      return;
    }
    if (m[1] === "") {
      start = Math.max(0, size - Number(m[2]));
    } else {
      start = Number(m[1]);
      end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    }
    if (start >= size || end < start) {
      res.writeHead(416, { "content-range": `bytes */${size}` }).end();
      return;
    }
    status = 206;
  }
  const headers: Record<string, string | number> = {
    "content-length": size === 0 ? 0 : end - start + 1,
    "content-type": "application/octet-stream",
    "accept-ranges": ranges ? "bytes" : "none",
  };
  if (status === 206) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  res.writeHead(status, headers);
  if (req.method === "HEAD" || size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}
