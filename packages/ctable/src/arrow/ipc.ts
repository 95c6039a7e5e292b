import { ColzError } from "@colz/format";
import {
  AsyncByteQueue,
  CompressionType,
  type RecordBatch,
  RecordBatchFileWriter,
  RecordBatchReader,
  RecordBatchStreamWriter,
  type Schema,
} from "apache-arrow";
import { registerArrowCodecs } from "./ipc-codecs.js";

// Arrow IPC (file and stream formats) written and read one record batch at a time.
//
// apache-arrow's writers push their output into an unbounded byte queue. To bound memory we
// give the writer a queue of our own that only collects the bytes of the batch just written;
// after each batch they go to the sink (awaiting its backpressure) before the next batch is
// even read from the table.

/** Where writeIPC sends bytes: a file path (Node), a Node Writable, a WHATWG WritableStream or a function. */
export type IpcSink =
  | string
  | NodeWritableLike
  | WritableStream<Uint8Array>
  | ((chunk: Uint8Array) => void | Promise<void>);

/** The part of a Node Writable that writeIPC uses. */
export interface NodeWritableLike {
  write(chunk: Uint8Array): boolean;
  end(cb?: () => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** What readIPC reads: a file path (Node), bytes, a WHATWG stream, a Node Readable or any (async) iterable of bytes. */
export type IpcSource =
  | string
  | Uint8Array
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>;

/** Options of writeIPC's byte-level part. */
export interface IpcWriteOptions {
  /** "file" (random access, with footer; default) or "stream". */
  format?: "file" | "stream";
  /** Body compression of every buffer (default none). */
  compression?: "lz4" | "zstd" | null;
  /** End/close a stream sink when done (default true; file paths are always closed). */
  close?: boolean;
}

/** Counts of what writeIPC wrote. */
export interface IpcWriteResult {
  batches: number;
  rows: number;
  bytes: number;
}

/** Collects what the writer emits for one batch (see the file comment). */
class BatchBytes extends AsyncByteQueue {
  chunks: Uint8Array[] = [];
  // apache-arrow passes Uint8Array views; declared loosely to match the base signature.
  // biome-ignore lint/suspicious/noExplicitAny: AsyncByteQueue.write's parameter type is not exported
  override write(value: any): void {
    const bytes = value as Uint8Array;
    if (bytes.byteLength > 0) this.chunks.push(bytes);
  }
  override close(): void {}
  take(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    return out;
  }
}

type ByteWriter = { write(chunk: Uint8Array): Promise<void>; close(): Promise<void> };

function isNodeWritable(sink: unknown): sink is NodeWritableLike {
  const s = sink as NodeWritableLike;
  return typeof s === "object" && s !== null && typeof s.write === "function" && typeof s.once === "function";
}

async function openSink(sink: IpcSink, close: boolean): Promise<ByteWriter> {
  if (typeof sink === "string") {
    const { open } = await import("node:fs/promises");
    const handle = await open(sink, "w");
    return {
      write: async (chunk) => {
        for (let at = 0; at < chunk.length; ) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
      },
      close: () => handle.close(),
    };
  }
  if (typeof sink === "function") return { write: async (chunk) => sink(chunk), close: async () => {} };
  if (typeof WritableStream !== "undefined" && sink instanceof WritableStream) {
    const w = sink.getWriter();
    return {
      write: async (chunk) => {
        await w.ready;
        await w.write(chunk);
      },
      close: async () => (close ? w.close() : w.releaseLock()),
    };
  }
  if (isNodeWritable(sink)) {
    return {
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          if (sink.write(chunk)) return resolve();
          const done = (e?: unknown) => {
            sink.off?.("drain", done);
            sink.off?.("error", done);
            if (e instanceof Error) reject(e);
            else resolve();
          };
          sink.once("drain", done);
          sink.once("error", done);
        }),
      close: () => (close ? new Promise<void>((resolve) => sink.end(() => resolve())) : Promise.resolve()),
    };
  }
  throw new ColzError("ERR_BAD_ARGUMENT", "writeIPC needs a file path, a Writable, a WritableStream or a function");
}

/**
 * Writes a schema and record batches as Arrow IPC, one batch at a time: each batch's bytes
 * reach the sink before the next batch is pulled from `batches`.
 */
export async function writeBatchesIPC(
  schema: Schema,
  batches: AsyncIterable<RecordBatch>,
  sink: IpcSink,
  options: IpcWriteOptions = {},
): Promise<IpcWriteResult> {
  const compression = options.compression ?? null;
  if (compression !== null && compression !== "lz4" && compression !== "zstd") {
    throw new ColzError("ERR_BAD_ARGUMENT", `unknown IPC compression ${JSON.stringify(compression)}`);
  }
  await registerArrowCodecs();
  const compressionType =
    compression === "lz4" ? CompressionType.LZ4_FRAME : compression === "zstd" ? CompressionType.ZSTD : null;
  const writerOptions = { autoDestroy: true, writeLegacyIpcFormat: false, compressionType };
  const writer =
    (options.format ?? "file") === "file"
      ? new RecordBatchFileWriter(writerOptions)
      : new RecordBatchStreamWriter(writerOptions);
  const out = await openSink(sink, options.close ?? true);
  const queue = new BatchBytes();
  const result: IpcWriteResult = { batches: 0, rows: 0, bytes: 0 };
  const flush = async () => {
    for (const chunk of queue.take()) {
      await out.write(chunk);
      result.bytes += chunk.length;
    }
  };
  try {
    writer.reset(queue as unknown as AsyncByteQueue<Uint8Array>, schema); // writes the schema (or file magic)
    await flush();
    for await (const batch of batches) {
      writer.write(batch);
      result.batches++;
      result.rows += batch.numRows;
      await flush();
    }
    writer.finish(); // end-of-stream marker, and the footer for files
    await flush();
  } finally {
    await out.close();
  }
  return result;
}

/**
 * A RecordBatchReader over any IpcSource (file or stream format, detected), with codecs
 * registered; `close` releases a file the reader opened.
 */
export async function openIPC(source: IpcSource): Promise<{ reader: RecordBatchReader; close(): Promise<void> }> {
  await registerArrowCodecs();
  if (typeof source === "string") {
    const { open } = await import("node:fs/promises");
    const handle = await open(source, "r");
    try {
      const reader = (await RecordBatchReader.from(handle)) as RecordBatchReader;
      return { reader, close: () => handle.close() };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }
  // apache-arrow detects bytes, Node streams, WHATWG streams and (async) iterables itself.
  // biome-ignore lint/suspicious/noExplicitAny: RecordBatchReader.from's overloads do not accept a union
  const reader = (await RecordBatchReader.from(source as any)) as RecordBatchReader;
  return { reader, close: async () => {} };
}
