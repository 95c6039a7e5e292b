import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import type { CliContext } from "../context.js";
import { CliError } from "../errors.js";
import { throwIfInterrupted } from "./atomic.js";
import { type Progress, startProgress } from "./progress.js";

/** An input file opened for streaming, with a progress bar counting the bytes read. */
export interface InputFile {
  path: string;
  size: number;
  /** The raw file stream (bytesRead tells how far the consumer got). */
  stream: ReadStream;
  progress: Progress;
  /** The file's bytes, counted by the progress bar; stops with ERR_INTERRUPTED on Ctrl-C. */
  chunks(): AsyncGenerator<Uint8Array>;
  /** The same as a byte stream, for stream consumers (csv-parse, readline). */
  readable(): Readable;
}

/**
 * Checks that `path` is a readable regular file and opens it; the progress bar (when shown)
 * advances as the stream is consumed. The stream is destroyed when `signal` aborts.
 */
export async function openInputFile(
  path: string,
  ctx: CliContext,
  label: string,
  signal: AbortSignal,
): Promise<InputFile> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new CliError("ERR_BAD_INPUT", "not a file", { path });
    size = s.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT" ? "ERR_NOT_FOUND" : "ERR_BAD_INPUT",
      code === "ENOENT" ? "no such file" : String(code),
      {
        path,
        cause: e,
      },
    );
  }
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const progress = startProgress(ctx, label, size, "bytes");
  // Counted as the consumer pulls (a 'data' listener would start the flow before it listens).
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of stream) {
      throwIfInterrupted(signal);
      progress.increment((chunk as Buffer).length);
      yield chunk as Buffer;
    }
  }
  return { path, size, stream, progress, chunks, readable: () => Readable.from(chunks(), { objectMode: false }) };
}
