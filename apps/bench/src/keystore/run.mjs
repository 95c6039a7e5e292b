// Runs the key-store workload: creates every selected flavor, measures what it left on disk, checks
// that it reads back the generated data, then times query passes (round-robin across flavors by
// default, so a noisy machine hurts every flavor alike).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { median } from "../lib/timing.mjs";
import { codecFloor } from "./codec-floor.mjs";
import { columnSums, keyColumns, keyLengths, keyName, lookupKeys, workloadSize } from "./data.mjs";
import { diskUsage, dropCaches } from "./disk.mjs";
import { allFlavors, HEADLINE } from "./flavors.mjs";

/** Keys are generated once and kept in memory when all of them fit in this many bytes. */
const CACHE_LIMIT = 512 * 1024 * 1024;

/**
 * @typedef {object} Sums
 * @property {number} elements
 * @property {number} intSum
 * @property {number} floatSum
 */

/**
 * @typedef {object} FlavorResult
 * @property {string} name
 * @property {string} group
 * @property {string} label
 * @property {boolean} compressed
 * @property {number} [createS]                seconds to create all keys (writer open + puts + close)
 * @property {import("./disk.mjs").DiskUsage} [disk]
 * @property {number} [queryMs]                median of the timed query passes
 * @property {number[]} passesMs               every timed pass, in order
 * @property {number} [elementsRead]           elements one query pass read
 * @property {Sums} [sums]                     checksum of what the verification pass read
 * @property {boolean} [dataOk]                sums equal the generated data's
 * @property {string} [error]
 * @property {import("./codec-floor.mjs").CodecFloor} [floor]  the headline colz flavor's codec floor
 */

const now = () => process.hrtime.bigint();

/** A garbage collection before each timed pass, so one pass does not pay for the previous one's garbage. */
const gc = (() => {
  try {
    setFlagsFromString("--expose-gc");
    return /** @type {() => void} */ (runInNewContext("gc"));
  } catch {
    return () => {};
  }
})();

/** @param {unknown} e */
function message(e) {
  return e instanceof Error ? e.message : String(e);
}

/** @param {number} n */
const mb = (n) => (n / 1e6).toFixed(1);

/**
 * @param {import("./options.mjs").KeystoreOptions} opts
 * @param {(line: string) => void} log progress lines (stderr)
 */
export async function runKeystoreBench(opts, log) {
  const lengths = keyLengths(opts.nkeys, opts.maxrows, opts.seed);
  const lookups = lookupKeys(opts.nkeys, opts.nlookups, opts.seed);
  const size = workloadSize(lengths, lookups);
  const flavors = allFlavors(opts.clevels).filter((f) => opts.flavors.includes(f.name));

  /** @type {Map<number, import("./data.mjs").KeyColumns> | undefined} */
  const cache = size.rawBytes <= CACHE_LIMIT ? new Map() : undefined;
  /** @param {number} k */
  const columnsOf = (k) => {
    let cols = cache?.get(k);
    if (!cols) {
      cols = keyColumns(k, lengths[k], opts.seed);
      cache?.set(k, cols);
    }
    return cols;
  };

  // What a query pass must return, computed from the generator itself.
  const expected = { elements: 0, intSum: 0, floatSum: 0 };
  for (const k of lookups) {
    const s = columnSums(columnsOf(k));
    expected.elements += s.elements;
    expected.intSum += s.intSum;
    expected.floatSum += s.floatSum;
  }

  const parent = resolve(opts.dir ?? tmpdir());
  mkdirSync(parent, { recursive: true });
  const dataDir = mkdtempSync(join(parent, "keystore-bench-"));
  log(`data directory: ${dataDir}${opts.keep ? " (kept)" : " (removed at the end; --keep keeps it)"}`);

  /** @type {{ requested: boolean, ok?: boolean, reason?: string, drops: number }} */
  const drop = { requested: opts.dropCaches, drops: 0 };
  const dropBeforePass = () => {
    if (!opts.dropCaches || drop.ok === false) return;
    const r = dropCaches();
    if (drop.ok === undefined) log(`--drop-caches: ${r.reason}`);
    drop.ok = r.ok;
    drop.reason = r.reason;
    if (r.ok) drop.drops++;
  };

  /** @type {FlavorResult[]} */
  const results = flavors.map((f) => ({
    name: f.name,
    group: f.group,
    label: f.label,
    compressed: f.compressed,
    passesMs: [],
  }));
  /** @type {Map<string, import("./flavors.mjs").FlavorImpl>} */
  const impls = new Map();
  const dirOf = (/** @type {string} */ name) => join(dataDir, name);

  /** @param {number} idx */
  async function create(idx) {
    const f = flavors[idx];
    const res = results[idx];
    try {
      const impl = await f.load();
      impls.set(f.name, impl);
      const dir = dirOf(f.name);
      mkdirSync(dir);
      let ns = 0n;
      let t0 = now();
      const w = await impl.writer(dir, { sync: opts.sync });
      ns += now() - t0;
      for (let k = 0; k < opts.nkeys; k++) {
        const cols = columnsOf(k);
        t0 = now();
        await w.put(keyName(k), cols);
        ns += now() - t0;
      }
      t0 = now();
      await w.close();
      ns += now() - t0;
      res.createS = Number(ns) / 1e9;
      res.disk = diskUsage(dir);
      log(
        `[${idx + 1}/${flavors.length}] ${f.name}: created ${opts.nkeys} keys in ${res.createS.toFixed(3)} s ` +
          `(${mb(size.rawBytes / res.createS)} MB/s); ${res.disk.files} files, ${res.disk.dirs} dirs, ` +
          `${mb(res.disk.bytes)} MB on disk (data/disk ${(size.rawBytes / res.disk.bytes).toFixed(2)})`,
      );
      await verify(idx);
    } catch (e) {
      res.error = `create: ${message(e)}`;
      log(`[${idx + 1}/${flavors.length}] ${f.name}: FAILED ${res.error}`);
    }
  }

  /** One untimed pass that checks the data (it also warms up the code paths). @param {number} idx */
  async function verify(idx) {
    const res = results[idx];
    const impl = /** @type {import("./flavors.mjs").FlavorImpl} */ (impls.get(res.name));
    const r = await impl.reader(dirOf(res.name));
    const sums = { elements: 0, intSum: 0, floatSum: 0 };
    try {
      for (const k of lookups) {
        const s = columnSums(await r.get(keyName(k)));
        sums.elements += s.elements;
        sums.intSum += s.intSum;
        sums.floatSum += s.floatSum;
      }
    } finally {
      await r.close();
    }
    res.sums = sums;
    res.dataOk =
      sums.elements === expected.elements && sums.intSum === expected.intSum && sums.floatSum === expected.floatSum;
    if (!res.dataOk) {
      res.error = `data read back differs from the generated data: ${JSON.stringify(sums)} vs ${JSON.stringify(expected)}`;
      log(`    ${res.name}: !!! ${res.error}`);
    }
  }

  /** One timed query pass. @param {number} idx */
  async function queryPass(idx) {
    const res = results[idx];
    if (res.error) return;
    const impl = /** @type {import("./flavors.mjs").FlavorImpl} */ (impls.get(res.name));
    const dir = dirOf(res.name);
    try {
      dropBeforePass();
      gc();
      const t0 = now();
      const r = await impl.reader(dir);
      let elements = 0;
      for (const k of lookups) {
        const cols = await r.get(keyName(k));
        elements += cols.i.length + cols.f.length;
      }
      await r.close();
      res.passesMs.push(Number(now() - t0) / 1e6);
      res.elementsRead = elements;
    } catch (e) {
      res.error = `query: ${message(e)}`;
      log(`    ${res.name}: FAILED ${res.error}`);
    }
  }

  /** @param {number} idx */
  function finishQueries(idx) {
    const res = results[idx];
    if (res.passesMs.length === 0) return;
    res.queryMs = median(res.passesMs);
    log(
      `    ${res.name}: query ${opts.nlookups} keys in ${res.queryMs.toFixed(1)} ms (median of ${res.passesMs.length}; ` +
        `min ${Math.min(...res.passesMs).toFixed(1)}, max ${Math.max(...res.passesMs).toFixed(1)}); ` +
        `${res.elementsRead} elements read, ${mb(((res.elementsRead ?? 0) * 8) / (res.queryMs / 1e3))} MB/s`,
    );
  }

  /** The headline flavor's codec floor (before its files may be removed). @param {number} idx */
  async function measureFloor(idx) {
    const f = flavors[idx];
    const res = results[idx];
    if (f.name !== HEADLINE || res.error || !f.colz || f.colz.layout !== "zip") return;
    try {
      res.floor = await codecFloor({
        dir: dirOf(f.name),
        // The sequential schedule removes each flavor's files after its queries.
        rawDir:
          results.some((r) => r.name === "raw" && !r.error) && existsSync(dirOf("raw")) ? dirOf("raw") : undefined,
        lookups,
        nkeys: opts.nkeys,
        keyName,
        columnsOf,
        cparams: f.colz,
      });
      log(
        `    ${f.name}: codec floor (chunks in memory): decode one pass's ${res.floor.decodeChunks} chunks ` +
          `${res.floor.decodeMs.toFixed(1)} ms, compress all ${res.floor.encodeChunks} chunks ${res.floor.encodeMs.toFixed(0)} ms; ` +
          `one pass's files into a reused buffer: colz ${res.floor.colzReadMs.toFixed(1)} ms, raw ${res.floor.rawReadMs?.toFixed(1) ?? "-"} ms`,
      );
    } catch (e) {
      log(`    ${f.name}: codec floor not measured: ${message(e)}`);
    }
  }

  try {
    if (opts.schedule === "sequential") {
      for (let idx = 0; idx < flavors.length; idx++) {
        await create(idx);
        for (let rep = 0; rep < opts.reps; rep++) await queryPass(idx);
        finishQueries(idx);
        await measureFloor(idx);
        if (!opts.keep) rmSync(dirOf(flavors[idx].name), { recursive: true, force: true });
      }
    } else {
      for (let idx = 0; idx < flavors.length; idx++) await create(idx);
      log(`query passes: ${opts.reps} rounds over ${flavors.length} flavors, ${opts.nlookups} keys each`);
      for (let rep = 0; rep < opts.reps; rep++) {
        for (let idx = 0; idx < flavors.length; idx++) await queryPass(idx);
      }
      for (let idx = 0; idx < flavors.length; idx++) finishQueries(idx);
      for (let idx = 0; idx < flavors.length; idx++) await measureFloor(idx);
    }
  } finally {
    if (!opts.keep) rmSync(dataDir, { recursive: true, force: true });
  }

  return {
    results,
    workload: {
      keys: opts.nkeys,
      lookups: opts.nlookups,
      maxrows: opts.maxrows,
      rows: size.rows,
      rawBytes: size.rawBytes,
      elementsPerPass: size.elementsPerPass,
      readBytesPerPass: size.readBytesPerPass,
      expected,
    },
    dataDir,
    drop,
  };
}
