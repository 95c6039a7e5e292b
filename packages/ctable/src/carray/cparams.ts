import type { Cname, Shuffle } from "@colz/blosc-wasm";
import { type CParams, type ShuffleCode, shuffleName } from "@colz/format";
import { badArgument } from "../errors.js";
import type { CParamsInput } from "../types.js";

const SHUFFLE_CODES: Record<string, ShuffleCode> = { noshuffle: 0, shuffle: 1, bitshuffle: 2 };

/**
 * bcolz-style cparams for the format layer from the user's `{cname, clevel, shuffle}`; shuffle
 * may be a name ("bitshuffle") or bcolz's code (0, 1, 2).
 *
 * @example
 * formatCParams({ cname: "zstd", shuffle: "bitshuffle" }); // { cname: "zstd", shuffle: 2 }
 */
export function formatCParams(input: CParamsInput | undefined): Partial<CParams> {
  if (input === undefined) return {};
  const out: Partial<CParams> = {};
  if (input.cname !== undefined) out.cname = input.cname;
  if (input.clevel !== undefined) out.clevel = input.clevel;
  if (input.shuffle !== undefined) {
    const s = input.shuffle as Shuffle | number;
    const code = typeof s === "number" ? s : SHUFFLE_CODES[s];
    if (code !== 0 && code !== 1 && code !== 2) {
      throw badArgument(`cparams.shuffle must be "noshuffle", "shuffle" or "bitshuffle", got ${JSON.stringify(s)}`);
    }
    out.shuffle = code;
  }
  return out;
}

/** Resolved compression parameters of a column, as the table layer reports them. */
export interface ResolvedCParams {
  cname: Cname | "snappy";
  clevel: number;
  shuffle: Shuffle;
}

/**
 * The user-facing form of stored cparams.
 *
 * @example
 * userCParams({ clevel: 5, shuffle: 1, cname: "lz4", quantize: 0 }); // { cname: "lz4", clevel: 5, shuffle: "shuffle" }
 */
export function userCParams(c: CParams): ResolvedCParams {
  return { cname: c.cname as Cname, clevel: c.clevel, shuffle: shuffleName(c.shuffle) };
}
