// The one test command: installs the c-blosc oracle if it can, runs every vitest project,
// and ends with the plain totals line CI counts: "N passed, N failed".
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureOracle } from "./ensure-oracle.mjs";

const haveOracle = ensureOracle();
if (!haveOracle && process.env.CI === "true") {
  console.log("[colz] CI requires the c-blosc oracle; failing.");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "colz-test-"));
const report = join(dir, "vitest.json");
const args = [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync("npx", args, {
  stdio: "inherit",
  env: { ...process.env, COLZ_ORACLE: haveOracle ? "1" : "0" },
});

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests ?? 0;
  // A failed test counts once (its file and describe blocks fail with it); a file that failed
  // without a failed test (it did not load, a hook threw) counts as one more.
  failed = json.numFailedTests ?? 0;
  for (const file of json.testResults ?? []) {
    const anyTestFailed = (file.assertionResults ?? []).some((a) => a.status === "failed");
    if (file.status === "failed" && !anyTestFailed) failed++;
  }
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
rmSync(dir, { recursive: true, force: true });
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 && run.status === 0 ? 0 : 1);
