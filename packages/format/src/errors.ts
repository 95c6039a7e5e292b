/** Stable machine-readable codes of every error @colz/format (and the packages above it) throws. */
export type ColzErrorCode =
  | "ERR_NOT_FOUND"
  | "ERR_NOT_A_CONTAINER"
  | "ERR_CORRUPT_CHUNK"
  | "ERR_CORRUPT_META"
  | "ERR_UNSUPPORTED_DTYPE"
  | "ERR_READ_ONLY"
  | "ERR_LOCKED"
  | "ERR_BAD_KEY"
  | "ERR_BAD_ARGUMENT"
  | "ERR_TOO_LARGE"
  | "ERR_IO"
  | "ERR_CLOSED"
  | "ERR_UNSUPPORTED"
  | "ERR_BAD_EXPRESSION";

/**
 * The error class of colz's storage layers. `code` is stable for programs; `message` names
 * the file, key or offset involved; `cause` carries the underlying error (fs, codec, JSON).
 *
 * @example
 * try { await store.get("meta/sizes") } catch (e) { if (isColzError(e, "ERR_IO")) ... }
 */
export class ColzError extends Error {
  override readonly name = "ColzError";
  readonly code: ColzErrorCode;

  constructor(code: ColzErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `e` is a ColzError, optionally with the given code. */
export function isColzError(e: unknown, code?: ColzErrorCode): e is ColzError {
  return e instanceof ColzError && (code === undefined || e.code === code);
}
