import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BufferPool } from "../src/node/whole-file.js";

// The read-buffer pool against a model: a buffer handed out is never handed out again until it
// is given back (two concurrent readers never share one), what comes out fits the request, and
// the pool keeps the largest returned buffers (at most two of up to 16 MB).

const KEEP_LIMIT = 16 << 20;

describe("BufferPool", () => {
  it("never hands out a buffer that is in use, always one that fits, and keeps the two largest", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant("take" as const),
              // Mostly small (allocations are real); now and then one past the 16 MB keep limit.
              size: fc.oneof(
                { arbitrary: fc.integer({ min: 1, max: 1 << 20 }), weight: 20 },
                { arbitrary: fc.integer({ min: KEEP_LIMIT - 1000, max: KEEP_LIMIT + 1000 }), weight: 1 },
              ),
            }),
            fc.record({ op: fc.constant("give" as const), pick: fc.nat() }),
          ),
          { maxLength: 40 },
        ),
        (ops) => {
          const pool = new BufferPool();
          const inUse: Uint8Array[] = [];
          let kept: Uint8Array[] = []; // the model of the pool's free list
          for (const o of ops) {
            if (o.op === "take") {
              const b = pool.take(o.size);
              // Identity checks as booleans: printing megabyte arrays into a message is slow.
              expect(b.length).toBeGreaterThanOrEqual(o.size);
              expect(inUse.includes(b)).toBe(false);
              const fits = kept.filter((k) => k.length >= o.size);
              if (fits.length > 0) {
                // The smallest buffer that fits.
                expect(b.length).toBe(Math.min(...fits.map((k) => k.length)));
                expect(kept.includes(b)).toBe(true);
                kept = kept.filter((k) => k !== b);
              } else {
                expect(kept.includes(b)).toBe(false);
              }
              inUse.push(b);
            } else if (inUse.length > 0) {
              const b = inUse.splice(o.pick % inUse.length, 1)[0] as Uint8Array;
              pool.give(b);
              if (b.length <= KEEP_LIMIT) {
                kept.push(b);
                kept.sort((x, y) => y.length - x.length);
                // Ties: the pool keeps whichever it had; the model compares by size only.
                if (kept.length > 2) kept = kept.slice(0, 2);
              }
            }
            expect(kept.length).toBeLessThanOrEqual(2);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
