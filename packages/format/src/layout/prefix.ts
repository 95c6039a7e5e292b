import { ColzError } from "../errors.js";
import { keyProblem } from "../store/keys.js";

/**
 * Throws ERR_BAD_KEY unless `prefix` is a container prefix: "" (the store's root) or a valid key
 * followed by "/" ("price/", "tables/t1/"). Layout keys are the prefix plus a relative key.
 *
 * @example
 * checkPrefix("price/"); // ok
 * checkPrefix("price");  // throws ERR_BAD_KEY
 */
export function checkPrefix(prefix: string): void {
  if (prefix === "") return;
  const problem =
    typeof prefix !== "string"
      ? "it is not a string"
      : !prefix.endsWith("/")
        ? "it must be empty or end with '/'"
        : keyProblem(prefix.slice(0, -1));
  if (problem !== undefined) {
    throw new ColzError("ERR_BAD_KEY", `container prefix ${JSON.stringify(prefix)} is invalid: ${problem}`);
  }
}

/**
 * Throws ERR_BAD_KEY unless `name` is usable as one key segment (a ctable column name): a
 * non-empty string without '/', NUL or backslash, not "." or "..", no unpaired surrogates.
 *
 * @example
 * checkSegment("price", "column name"); // ok
 * checkSegment("a/b", "column name");   // throws ERR_BAD_KEY
 */
export function checkSegment(name: string, what: string): void {
  let problem: string | undefined;
  if (typeof name !== "string") problem = "it is not a string";
  else if (name.includes("/")) problem = "it contains '/'";
  else problem = keyProblem(name);
  if (problem !== undefined) {
    throw new ColzError("ERR_BAD_KEY", `${what} ${JSON.stringify(name)} is invalid: ${problem}`);
  }
}
