/** Thrown by a TextSink once its stream's reader went away (EPIPE): commands stop quietly. */
export class BrokenPipeError extends Error {
  constructor() {
    super("output pipe closed");
    this.name = "BrokenPipeError";
  }
}

/** True for a closed-pipe failure (our own marker or Node's EPIPE / ERR_STREAM_DESTROYED). */
export function isBrokenPipe(error: unknown): boolean {
  if (error instanceof BrokenPipeError) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}

/**
 * Text output with backpressure: `write` resolves when the stream can take more, so a slow or
 * paused reader keeps memory constant. An error on the stream (EPIPE when `colz cat | head -1`
 * exits) is remembered by a listener that stays attached, so Node never treats it as unhandled;
 * the next `write` rejects with BrokenPipeError (or the I/O error itself).
 *
 * @example
 * const sink = new TextSink(process.stdout);
 * await sink.write("a,b\n");
 */
export class TextSink {
  private failure: unknown;
  private pending = "";
  private waiting: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  private readonly onError = (error: unknown): void => {
    this.failure ??= isBrokenPipe(error) ? new BrokenPipeError() : error;
    this.wake();
  };
  private readonly onDrain = (): void => this.wake();

  /** Text is gathered up to this many characters before it is handed to the stream. */
  static readonly BUFFER_CHARS = 64 * 1024;

  constructor(readonly stream: NodeJS.WritableStream) {
    stream.on("error", this.onError);
    stream.on("drain", this.onDrain);
    stream.on("close", this.onDrain);
  }

  /** Appends `text`; hands it to the stream once enough is gathered. */
  async write(text: string): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.pending += text;
    if (this.pending.length >= TextSink.BUFFER_CHARS) await this.flush();
  }

  /** Hands everything gathered to the stream and waits until the stream accepts more. */
  async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.pending === "") return;
    const text = this.pending;
    this.pending = "";
    const writable = this.stream as NodeJS.WritableStream & { destroyed?: boolean; writableNeedDrain?: boolean };
    if (writable.destroyed === true) throw new BrokenPipeError();
    if (!this.stream.write(text)) await this.waitForDrain();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Flushes and detaches the listeners (the error listener stays: late EPIPEs must not crash). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.stream.off("drain", this.onDrain);
      this.stream.off("close", this.onDrain);
    }
  }

  private waitForDrain(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w === undefined) return;
    if (this.failure !== undefined) w.reject(this.failure);
    else w.resolve();
  }
}

/**
 * Writes `text` to stdout and waits until it is handed on; a closed pipe ends it silently.
 *
 * @example
 * await writeText(ctx, "done\n");
 */
export async function writeText(ctx: { io: { stdout: NodeJS.WritableStream } }, text: string): Promise<void> {
  const sink = new TextSink(ctx.io.stdout);
  try {
    await sink.write(text);
    await sink.close();
  } catch (e) {
    if (!isBrokenPipe(e)) throw e;
  }
}
