// Orchestrates one `bench codec` run: same bytes for every implementation, native c-blosc in one
// child process (run before the JS timings so they never compete for a core), cross-decode checks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertSameBytes, DATASETS, generate } from "../lib/data.mjs";
import { sizeLabel } from "../lib/format.mjs";
import { mbPerSec, measureAsync, measureSync } from "../lib/timing.mjs";
import { errorMessage, loadLz4, loadNumcodecs, loadOurs, rawHeader } from "./impls.mjs";
import { INSTALL_HINT, NativeBlosc, probeNative } from "./native.mjs";

/** @typedef {import("./options.mjs").CodecOptions} CodecOptions */
/** @typedef {import("../lib/timing.mjs").Timing & { mbps: number } | { error: string }} Measurement */
/** @typedef {{ name: string, ok: boolean, skipped?: boolean, error?: string }} Check */

/** "256k", "8m": compact size key used in case ids. @param {number} n */
export function sizeKey(n) {
  if (n % 1024 ** 2 === 0) return `${n / 1024 ** 2}m`;
  if (n % 1024 === 0) return `${n / 1024}k`;
  return String(n);
}

/**
 * @param {number} nbytes @param {() => unknown} fn @param {import("../lib/timing.mjs").TimingOptions} t
 * @returns {Measurement}
 */
function timeSync(nbytes, fn, t) {
  try {
    const r = measureSync(fn, t);
    return { ...r, mbps: mbPerSec(nbytes, r.medianNs) };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

/**
 * @param {number} nbytes @param {() => Promise<unknown>} fn @param {import("../lib/timing.mjs").TimingOptions} t
 * @returns {Promise<Measurement>}
 */
async function timeAsync(nbytes, fn, t) {
  try {
    const r = await measureAsync(fn, t);
    return { ...r, mbps: mbPerSec(nbytes, r.medianNs) };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

/** Converts a native timing record (same shape, from python) into a Measurement. @param {any} m @param {number} nbytes */
function fromNative(m, nbytes) {
  if (!m) return { error: "not measured" };
  if (m.error) return { error: m.error };
  return { ...m, mbps: mbPerSec(nbytes, m.medianNs) };
}

/** @param {string} name @param {() => unknown} fn @returns {Check} */
function check(name, fn) {
  try {
    fn();
    return { name, ok: true };
  } catch (e) {
    return { name, ok: false, error: errorMessage(e) };
  }
}

/** @param {string} name @param {() => Promise<unknown>} fn @returns {Promise<Check>} */
async function checkAsync(name, fn) {
  try {
    await fn();
    return { name, ok: true };
  } catch (e) {
    return { name, ok: false, error: errorMessage(e) };
  }
}

/**
 * Starts the native child (once), or returns a skip/error record. Loud when unavailable.
 * @param {CodecOptions} opts @param {(s: string) => void} log
 * @returns {Promise<{ status: "ok", client: NativeBlosc, info: any } | { status: "skipped" | "error", reason: string }>}
 */
async function startNative(opts, log) {
  if (!opts.native) return { status: "skipped", reason: "--no-native" };
  const probe = probeNative(opts.python);
  const skip = (/** @type {string} */ reason) => {
    log("");
    log(`!!! native c-blosc: SKIPPED (${INSTALL_HINT})`);
    log(`!!! ${opts.python}: ${reason}`);
    log("");
    return /** @type {const} */ ({ status: "skipped", reason: `${reason}; install with: ${INSTALL_HINT}` });
  };
  if (!probe.ok) return skip(probe.reason);
  const client = new NativeBlosc(opts.python);
  try {
    const info = await client.hello();
    if (!info.available) {
      client.close();
      return skip(info.error);
    }
    log(`native: c-blosc ${info.bloscVersion} via ${opts.python}, 1 thread`);
    return { status: "ok", client, info };
  } catch (e) {
    log(`!!! native c-blosc: ERROR ${errorMessage(e)}`);
    return { status: "error", reason: errorMessage(e) };
  }
}

/**
 * @param {CodecOptions} opts
 * @param {(s: string) => void} log progress sink (stderr)
 */
export async function runCodecBench(opts, log) {
  const t = { reps: opts.reps, minSampleMs: opts.minSampleMs, warmup: opts.warmup };
  const [ours, nc, lz4] = await Promise.all([loadOurs(), loadNumcodecs(), loadLz4()]);
  for (const [name, l] of /** @type {const} */ ([
    ["blosc-wasm", ours],
    ["numcodecs", nc],
    ["lz4-napi", lz4],
  ])) {
    if (!l.ok) log(`!!! ${name}: ${l.error}`);
  }
  const datasets = DATASETS.filter((d) => opts.data.includes(d.name));
  const dir = mkdtempSync(join(tmpdir(), "colz-bench-codec-"));
  /** @type {NativeBlosc | undefined} */
  let nativeClient;
  try {
    // 1. The bytes, generated once and shared by every implementation (and the native child via files).
    const inputs = [];
    for (const size of opts.sizes) {
      for (const ds of datasets) {
        const bytes = generate(ds, size, opts.seed);
        const file = join(dir, `in-${ds.name}-${size}.bin`);
        writeFileSync(file, bytes);
        inputs.push({ ds, size, bytes, file });
      }
    }

    // 2. Our chunks first, so the native child can check it decodes them.
    const cases = [];
    for (const inp of inputs) {
      for (const cname of opts.cnames) {
        const id = `${sizeKey(inp.size)}/${inp.ds.name}/${cname}`;
        /** @type {any} */
        const c = { id, input: inp, inputFile: inp.file, typesize: inp.ds.typesize, cname };
        if (ours.ok) {
          try {
            c.oursChunk = ours.api.compress(inp.bytes, inp.ds.typesize, opts.clevel, cname).slice();
            c.oursFile = join(dir, `ours-${id.replace(/\//g, "_")}.bin`);
            writeFileSync(c.oursFile, c.oursChunk);
          } catch (e) {
            c.oursError = errorMessage(e);
          }
        } else {
          c.oursError = ours.error;
        }
        cases.push(c);
      }
    }

    // 3. Native c-blosc: one child process for everything, driven case by case below.
    const native = await startNative(opts, log);
    nativeClient = native.status === "ok" ? native.client : undefined;

    // 4. Per case: native, then ours, numcodecs. Copy and lz4-napi do not depend on cname: they
    // are measured once per input, next to its first case.
    const perInput = new Map();
    const shared = (/** @type {any} */ inp) => {
      if (perInput.has(inp)) return perInput.get(inp);
      log(`  js ${sizeKey(inp.size)}/${inp.ds.name}: copy, lz4-napi`);
      const dst = new Uint8Array(inp.size);
      const copy = { decode: timeSync(inp.size, () => dst.set(inp.bytes), t) };
      /** @type {any} */
      let l4 = { error: lz4.ok ? undefined : lz4.error };
      if (lz4.ok) {
        try {
          const buf = Buffer.from(inp.bytes.buffer, inp.bytes.byteOffset, inp.bytes.byteLength);
          const chunk = lz4.api.compress(buf);
          assertSameBytes(lz4.api.decompress(chunk), inp.bytes, "lz4-napi round trip");
          l4 = {
            cbytes: chunk.length,
            ratio: inp.size / chunk.length,
            encode: timeSync(inp.size, () => lz4.api.compress(buf), t),
            decode: timeSync(inp.size, () => lz4.api.decompress(chunk), t),
          };
        } catch (e) {
          l4 = { error: errorMessage(e) };
        }
      }
      perInput.set(inp, { copy, lz4napi: l4 });
      return perInput.get(inp);
    };

    const results = [];
    for (const c of cases) {
      log(`  js ${c.id}`);
      const inp = c.input;
      const n = inp.size;
      const r = {
        id: c.id,
        size: n,
        sizeLabel: sizeLabel(n),
        data: inp.ds.name,
        cname: c.cname,
        clevel: opts.clevel,
        typesize: c.typesize,
        shuffle: "shuffle",
        /** @type {any} */ ours: {},
        /** @type {any} */ native: {},
        /** @type {any} */ numcodecs: {},
        ...shared(inp),
        /** @type {Record<string, number>} */ derived: {},
        /** @type {Check[]} */ checks: [],
      };

      // native c-blosc (measured in the child right now; then ours decodes its chunk)
      if (native.status === "ok") {
        /** @type {any} */
        let nr;
        try {
          nr = await native.client.runCase(
            {
              id: c.id,
              input: c.inputFile,
              typesize: c.typesize,
              clevel: opts.clevel,
              cname: c.cname,
              oursChunk: c.oursFile ?? null,
              nativeOut: join(dir, `native-${c.id.replace(/\//g, "_")}.bin`),
            },
            t,
          );
        } catch (e) {
          nr = { error: errorMessage(e) };
        }
        if (nr.error) {
          r.native = { error: nr.error };
        } else {
          const nchunk = new Uint8Array(readFileSync(nr.chunk));
          r.native = {
            cbytes: nr.cbytes,
            ratio: n / nr.cbytes,
            blocksize: rawHeader(nchunk)?.blocksize,
            encode: fromNative(nr.encode, n),
            decode: fromNative(nr.decode, n),
            decodeAlloc: fromNative(nr.decodeAlloc, n),
          };
          r.checks.push(
            ours.ok
              ? check("ours decodes native c-blosc 1.21", () =>
                  assertSameBytes(ours.api.decompress(nchunk, new Uint8Array(n)), inp.bytes, "decode"),
                )
              : { name: "ours decodes native c-blosc 1.21", ok: false, error: ours.error },
          );
        }
        const d = nr.decodesOurs;
        r.checks.push(
          d
            ? { name: "native c-blosc 1.21 decodes ours", ok: !!d.ok, ...(d.error ? { error: d.error } : {}) }
            : {
                name: "native c-blosc 1.21 decodes ours",
                ok: false,
                error: `no chunk: ${c.oursError ?? "not checked"}`,
              },
        );
      } else {
        r.native = { skipped: native.reason };
        for (const name of ["ours decodes native c-blosc 1.21", "native c-blosc 1.21 decodes ours"]) {
          r.checks.push({ name, ok: true, skipped: true, error: `native ${native.status}: ${native.reason}` });
        }
      }

      // blosc-wasm
      if (c.oursChunk && ours.ok) {
        const chunk = c.oursChunk;
        const out = new Uint8Array(n);
        const selfCheck = check("ours decodes ours", () =>
          assertSameBytes(ours.api.decompress(chunk, out), inp.bytes, "decode"),
        );
        r.checks.push(selfCheck);
        r.ours = {
          cbytes: chunk.length,
          ratio: n / chunk.length,
          blocksize: rawHeader(chunk)?.blocksize,
          encode: timeSync(n, () => ours.api.compress(inp.bytes, c.typesize, opts.clevel, c.cname), t),
          decode: selfCheck.ok ? timeSync(n, () => ours.api.decompress(chunk, out), t) : { error: selfCheck.error },
          decodeAlloc: selfCheck.ok ? timeSync(n, () => ours.api.decompress(chunk), t) : { error: selfCheck.error },
        };
      } else {
        r.ours = { error: `compress: ${c.oursError}` };
        r.checks.push({ name: "ours decodes ours", ok: false, error: `no chunk: ${c.oursError}` });
      }

      // numcodecs (emscripten c-blosc 1.18; always typesize 4)
      if (nc.ok) {
        try {
          const codec = nc.api.codec(c.cname, opts.clevel);
          const chunk = await codec.encode(inp.bytes);
          assertSameBytes(await codec.decode(chunk), inp.bytes, "numcodecs round trip");
          r.numcodecs = {
            cbytes: chunk.length,
            ratio: n / chunk.length,
            typesize: rawHeader(chunk)?.typesize,
            encode: await timeAsync(n, () => codec.encode(inp.bytes), t),
            decode: await timeAsync(n, () => codec.decode(chunk), t),
          };
          r.checks.push(
            ours.ok
              ? check("ours decodes numcodecs (c-blosc 1.18)", () =>
                  assertSameBytes(ours.api.decompress(chunk, new Uint8Array(n)), inp.bytes, "decode"),
                )
              : { name: "ours decodes numcodecs (c-blosc 1.18)", ok: false, error: ours.error },
          );
          const oc = c.oursChunk;
          r.checks.push(
            oc
              ? await checkAsync("numcodecs (c-blosc 1.18) decodes ours", async () =>
                  assertSameBytes(await codec.decode(oc), inp.bytes, "decode"),
                )
              : { name: "numcodecs (c-blosc 1.18) decodes ours", ok: false, error: `no chunk: ${c.oursError}` },
          );
        } catch (e) {
          r.numcodecs = { error: errorMessage(e) };
        }
      } else {
        r.numcodecs = { error: nc.error };
      }

      r.derived = derive(r);
      results.push(r);
    }
    const nativeInfo = native.status === "ok" ? { status: "ok", ...native.info } : native;
    return { native: nativeInfo, cases: results, loaded: { ours: ours.ok, numcodecs: nc.ok, lz4napi: lz4.ok } };
  } finally {
    if (nativeClient) nativeClient.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {any} m */
const speed = (m) => (m && typeof m.mbps === "number" ? m.mbps : Number.NaN);

/** Ours relative to the others (NaN when either side is missing). @param {any} r */
export function derive(r) {
  return {
    decodeVsNative: speed(r.ours.decode) / speed(r.native.decode),
    encodeVsNative: speed(r.ours.encode) / speed(r.native.encode),
    decodeVsNumcodecs: speed(r.ours.decode) / speed(r.numcodecs.decode),
    ratioVsNative: (r.ours.ratio ?? Number.NaN) / (r.native.ratio ?? Number.NaN),
  };
}
