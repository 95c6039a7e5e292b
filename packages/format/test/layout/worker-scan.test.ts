import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isColzError } from "../../src/errors.js";
import { checkThreads, splitRows, takeRuns } from "../../src/layout/worker-scan.js";

// How a threaded scan divides its rows (the worker threads themselves run in @colz/ctable's
// tests, against the built package: the worker script only exists in dist/).

describe("splitRows", () => {
  it("covers [start, end) in contiguous runs cut at chunk boundaries, at most one per thread and chunk", () => {
    for (const chunklen of [1, 7, 100]) {
      for (const [start, end] of [
        [0, 1037],
        [37, 1001],
        [199, 201],
        [1000, 1037],
        [5, 5],
        [0, 1],
      ] as const) {
        const chunks = end > start ? Math.ceil(end / chunklen) - Math.floor(start / chunklen) : 0;
        for (const threads of [1, 2, 3, 8]) {
          const runs = splitRows(start, end, chunklen, threads);
          expect(runs.length).toBeLessThanOrEqual(Math.min(threads, Math.max(chunks, 1)));
          if (end === start) {
            expect(runs).toEqual([]);
            continue;
          }
          expect(runs[0]![0]).toBe(start);
          expect(runs.at(-1)![1]).toBe(end);
          for (let k = 0; k < runs.length; k++) {
            const [a, b] = runs[k]!;
            expect(b).toBeGreaterThan(a);
            if (k > 0) {
              expect(a).toBe(runs[k - 1]![1]);
              expect(a % chunklen).toBe(0);
            }
          }
          // as even as chunks allow: run sizes in chunks differ by at most one (plus the partial ends)
          if (threads >= 2 && chunks >= threads) expect(runs.length).toBe(threads);
        }
      }
    }
    expect(splitRows(0, 10_000, 1000, 2)).toEqual([
      [0, 5000],
      [5000, 10_000],
    ]);
  });

  it("checkThreads refuses anything but an integer in 1..64", () => {
    for (const ok of [undefined, 1, 2, 64]) expect(() => checkThreads(ok, "x")).not.toThrow();
    for (const bad of [0, -1, 1.5, 65, Number.NaN, Number.POSITIVE_INFINITY]) {
      let err: unknown;
      try {
        checkThreads(bad, "readRows");
      } catch (e) {
        err = e;
      }
      expect(isColzError(err, "ERR_BAD_ARGUMENT"), String(bad)).toBe(true);
      expect((err as Error).message).toMatch(/readRows: threads must be an integer/);
    }
  });
});

describe("takeRuns", () => {
  it("threads sharing a counter read every run exactly once; the lowest failing run is reported", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 60 }),
        fc.uniqueArray(fc.nat(45), { maxLength: 4 }),
        async (nruns, threads, delays, failing) => {
          const runs = Array.from({ length: nruns }, (_, k) => [k * 10, k * 10 + 10] as [number, number]);
          const next = new Int32Array(new SharedArrayBuffer(4));
          const reads = new Array<number>(nruns).fill(0);
          let step = 0;
          const outcomes = await Promise.all(
            Array.from({ length: threads }, () =>
              takeRuns(runs, next, async (k, a, b) => {
                expect([a, b]).toEqual(runs[k]);
                reads[k]!++;
                // Threads of uneven speed: some runs take a few turns of the event loop.
                for (let t = delays[step++ % delays.length]!; t > 0; t--) await Promise.resolve();
                if (failing.includes(k)) throw new Error(`run ${k}`);
              }),
            ),
          );
          expect(reads.every((n) => n === 1)).toBe(true);
          const met = outcomes.filter((o) => o !== undefined).map((o) => o.run);
          const lowest = failing.filter((k) => k < nruns).sort((x, y) => x - y)[0];
          expect(met.length === 0 ? undefined : Math.min(...met)).toBe(lowest);
          for (const o of outcomes) if (o !== undefined) expect((o.error as Error).message).toBe(`run ${o.run}`);
        },
      ),
      { numRuns: 200 },
    );
  });
});
