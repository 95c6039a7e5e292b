/** Stable machine-readable codes for every error the codec throws. */
export type BloscErrorCode =
  | "ERR_CORRUPT_CHUNK"
  | "ERR_BAD_PARAMS"
  | "ERR_NOT_READY"
  | "ERR_UNSUPPORTED"
  | "ERR_BUFFER_TOO_SMALL";

/**
 * The one error class of @colz/blosc-wasm. `code` is stable; `message` says what was wrong
 * and where (byte offset, block, stream); `cause` carries an underlying error when there is one.
 *
 * @example
 * try { decompress(bytes) } catch (e) { if (e instanceof BloscError && e.code === "ERR_CORRUPT_CHUNK") ... }
 */
export class BloscError extends Error {
  override readonly name = "BloscError";
  readonly code: BloscErrorCode;

  constructor(code: BloscErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Shorthand for the most common failure: a chunk that does not follow the format. */
export function corrupt(message: string, cause?: unknown): BloscError {
  return new BloscError("ERR_CORRUPT_CHUNK", `corrupt Blosc chunk: ${message}`, { cause });
}
