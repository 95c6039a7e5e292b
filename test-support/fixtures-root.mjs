// Where the shared c-blosc and bcolz fixtures are, for every package's tests (plain JS so that
// each package's type check can use it without widening its rootDir; types in the .d.mts).
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * $COLZ_FIXTURES, else `shared/fixtures` beside the checkout (how CI lays it out), else the
 * workplace's /work/shared/fixtures. Missing fixtures are an error, never a silent skip.
 * @returns {string}
 */
export function fixturesRoot() {
  const candidates = [
    process.env.COLZ_FIXTURES,
    resolve(REPO_ROOT, "../shared/fixtures"),
    "/work/shared/fixtures",
  ].filter((c) => c !== undefined && c !== "");
  for (const c of candidates) if (existsSync(resolve(c, "blosc1", "MANIFEST.json"))) return resolve(c);
  throw new Error(`test fixtures not found; looked in ${candidates.join(", ")} (set COLZ_FIXTURES)`);
}
