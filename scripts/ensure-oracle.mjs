// Makes sure real c-blosc (Debian's python3-blosc) is present for the differential tests.
// Installs it with apt-get when we are root; otherwise says loudly that oracle tests will skip.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const PYTHON = "/usr/bin/python3";

export function oracleAvailable() {
  if (!existsSync(PYTHON)) return false;
  const r = spawnSync(PYTHON, ["-c", "import blosc, numpy"], { stdio: "ignore" });
  return r.status === 0;
}

export function ensureOracle() {
  if (oracleAvailable()) return true;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("[colz] installing the c-blosc oracle: apt-get install -y python3-blosc python3-numpy");
    try {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
      execFileSync("apt-get", ["install", "-y", "-qq", "python3-blosc", "python3-numpy"], {
        stdio: "inherit",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch (e) {
      console.log(`[colz] apt-get failed: ${e.message}`);
    }
  }
  if (oracleAvailable()) return true;
  console.log("");
  console.log("!!! [colz] c-blosc oracle NOT AVAILABLE: the differential tests against real c-blosc will be SKIPPED.");
  console.log("!!! Install it with: apt-get install -y python3-blosc python3-numpy (Debian/Ubuntu, as root)");
  console.log("");
  return false;
}
