// Vitest setup file of every project: under CI (CI=true) fast-check runs from one fixed seed, so
// a red CI run is reproducible and a green local run of `CI=true .ci/run` is the run CI will do
// (what Hypothesis recommends for CI: derandomize there, explore locally). Locally every run
// draws a new seed and keeps hunting for counterexamples. COLZ_FC_SEED overrides the seed anywhere,
// e.g. to replay a failure: COLZ_FC_SEED=1234 npx -y pnpm@10 test.
import fc from "fast-check";

const DEFAULT_CI_SEED = 20261124;

const fromEnv = process.env.COLZ_FC_SEED;
const seed =
  fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : process.env.CI === "true" ? DEFAULT_CI_SEED : undefined;
if (seed !== undefined) {
  if (!Number.isInteger(seed)) throw new Error(`COLZ_FC_SEED must be an integer, got ${fromEnv}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
