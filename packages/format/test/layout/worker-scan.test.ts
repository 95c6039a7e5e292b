import { describe, expect, it } from "vitest";
import { isColzError } from "../../src/errors.js";
import { checkThreads, splitRows } from "../../src/layout/worker-scan.js";

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
