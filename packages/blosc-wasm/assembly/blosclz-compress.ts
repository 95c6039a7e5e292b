// BloscLZ stream encoder (Blosc codec format 0; the format is described in blosclz.ts).
//
// A greedy single-probe LZ77 parser in the style of FastLZ level 2, tuned the way c-blosc 1.21
// (BloscLZ 2.5) tunes it, because those choices decide the compression ratio and whether a
// stream is stored raw (reference §8.2):
// - an "entropy probe" first runs a cheap model of the parser over (at most 4 KB of) the last
//   quarter of the input and gives up when the estimated ratio is below a per-clevel floor:
//   high-entropy byte planes are then stored raw instead of being slowly expanded;
// - one 4-byte multiplicative hash with 2^12 / 2^13 / 2^14 slots for clevel 1 / 2 / >= 3;
// - a found match is shortened by `back` bytes (3, or 4 for split streams that look very
//   compressible) and dropped below `minLen`; far matches (distance >= 8192) must give at least
//   8 bytes, as they cost 4 bytes to encode;
// - matching stops 12 bytes before the end; the stream always ends with a literal run.
//
// The emitted instructions (len' = length - 2, d = distance - 1):
//   near, len' < 7   (len' << 5 | d >> 8), d & 255
//   near, len' >= 7  (0xE0 | d >> 8), 255 x k, r (len' - 7 = 255k + r), d & 255
//   far,  len' < 7   (len' << 5 | 31), 255, (d - 8191) >> 8, (d - 8191) & 255
//   far,  len' >= 7  0xFF, 255 x k, r, 255, (d - 8191) >> 8, (d - 8191) & 255
//   literals         n - 1, then n bytes (n <= 32)

const MAX_RUN: usize = 32; // literals per literal instruction
const NEAR_LIMIT: usize = 8191; // d = distance - 1 below this is a near match
const FAR_LIMIT: usize = 73725; // distances from here on are not encodable (with a margin)
const TAIL: usize = 12; // no match starts in the last 12 bytes
const MIN_INPUT: i32 = 16;
const MIN_BUDGET: i32 = 66;

const PROBE_LOG: u32 = 12;
const PROBE_MAX: usize = 1 << PROBE_LOG; // probe at most this many bytes

// Hash tables of input positions (scratch in static memory, cleared per call).
const TABLE: usize = memory.data(4 << 14, 16); // u32 x 2^14
const PROBE_TABLE: usize = memory.data(2 << PROBE_LOG, 16); // u16 x 2^12

// Estimated-ratio floor per clevel below which the stream is not worth compressing.
const RATIO_FLOOR: StaticArray<f64> = [0, 2, 1.5, 1.2, 1.2, 1.2, 1.2, 1.15, 1.1, 1.0];

// @ts-ignore: decorator
@inline function hashOf(seq: u32, log: u32): usize {
  return <usize>((seq * 2654435761) >> (32 - log));
}

/**
 * Where the greedy parser's match scan stops for a candidate at `cand` (< `at`) whose first
 * four bytes equal those at `at`: one past the first differing byte, capped at `bound`. (The
 * "one past" is the parser's convention; `back` below takes it into account.)
 */
// @ts-ignore: decorator
@inline function scanEnd(at: usize, cand: usize, bound: usize): usize {
  let p = at + 4;
  let q = cand + 4;
  const last = bound - 1; // comparing up to here is enough: the result is capped at bound
  while (p + 8 <= last) {
    const x = load<u64>(p) ^ load<u64>(q);
    if (x != 0) {
      p += <usize>(ctz(x) >> 3);
      return p + 1;
    }
    p += 8;
    q += 8;
  }
  while (p < last && load<u8>(p) == load<u8>(q)) {
    p++;
    q++;
  }
  return p + 1 < bound ? p + 1 : bound;
}

// Output size of a match instruction with biased length lenB and biased distance d.
// @ts-ignore: decorator
@inline function matchCost(lenB: usize, d: usize): usize {
  return (d < NEAR_LIMIT ? 2 : 4) + (lenB >= 7 ? (lenB - 7) / 255 + 1 : 0);
}

/**
 * The entropy probe: the parser's output size over the first min(len, 4 KB) bytes at p,
 * counted but not written (back 3, minimum biased length 3, its own 2^12 table), as the ratio
 * of bytes consumed to bytes emitted.
 */
function probeRatio(p: usize, len: usize): f64 {
  const limit = len < PROBE_MAX ? len : PROBE_MAX;
  if (limit <= TAIL) return 0;
  memory.fill(PROBE_TABLE, 0, 2 << PROBE_LOG);
  const bound = p + limit - 1;
  const stop = p + limit - TAIL;
  let ip = p;
  let out: usize = 5; // the opening literal instruction, counted as if 4 literals were in it
  let run: usize = 4;
  while (ip < stop) {
    const seq = load<u32>(ip);
    const slot = PROBE_TABLE + (hashOf(seq, PROBE_LOG) << 1);
    const cand = p + <usize>load<u16>(slot);
    store<u16>(slot, <u16>(ip - p));
    if (cand < ip && load<u32>(cand) == seq) {
      const end = scanEnd(ip, cand, bound) - 3;
      const lenB = end - ip;
      if (end > ip && lenB >= 3) {
        if (run == 0) out--; // the pending literal count byte is not needed
        run = 0;
        out += matchCost(lenB, ip - cand - 1) + 1; // + the next literal count byte
        store<u16>(PROBE_TABLE + (hashOf(load<u32>(end), PROBE_LOG) << 1), <u16>(end - p));
        ip = end + 2;
        continue;
      }
    }
    out++;
    ip++;
    if (++run == MAX_RUN) {
      run = 0;
      out++;
    }
  }
  return <f64>(ip - p) / <f64>out;
}

// Writes the literals [from, to) as runs of at most 32 at op; returns the new op. Whole
// 32-byte vector pairs are copied: the caller has checked the room, and the overshoot stays
// within the 32 bytes of slack after both input and output.
// @ts-ignore: decorator
@inline function putLiterals(op: usize, from: usize, to: usize): usize {
  while (from < to) {
    const left = to - from;
    const n = left < MAX_RUN ? left : MAX_RUN;
    store<u8>(op, <u8>(n - 1));
    v128.store(op, v128.load(from), 1);
    v128.store(op, v128.load(from, 16), 17);
    op += n + 1;
    from += n;
  }
  return op;
}

// Bytes needed to write `n` literals.
// @ts-ignore: decorator
@inline function literalCost(n: usize): usize {
  return n + (n + MAX_RUN - 1) / MAX_RUN;
}

/**
 * Compresses srcLen bytes at src into a BloscLZ stream at dst. Returns the stream length, or
 * 0 when the input is too small (< 16 bytes), the budget is under 66 bytes, the probe says the
 * data is not worth it, or the stream would not fit in dstCap: the caller then stores it raw.
 * `split` is 1 when the chunk's blocks are split (header bit 4 clear). c-blosc 1.21 passes this
 * chunk-level flag, so the short last block (always a single stream) also gets split = 1.
 */
export function blosclzCompress(
  src: usize,
  srcLen: i32,
  dst: usize,
  dstCap: i32,
  clevel: i32,
  split: i32,
): i32 {
  if (srcLen < MIN_INPUT || dstCap < MIN_BUDGET) return 0;
  if (clevel < 1) clevel = 1;
  if (clevel > 9) clevel = 9;
  const n = <usize>srcLen;

  // Probe the last quarter of the input.
  const quarter = n >> 2;
  const ratio = probeRatio(src + n - quarter, quarter);
  if (ratio < unchecked(RATIO_FLOOR[clevel])) return 0;

  // On very compressible split planes, trim one more byte off every match and require 6-byte
  // matches (fewer, longer instructions decode faster); elsewhere keep every matched byte and
  // accept 5-byte matches, since ratio matters more there. This is c-blosc 1.21's choice.
  let back: usize = 4;
  let minLen: usize = 4;
  if (split == 0 || ratio < 4) {
    back = 3;
    minLen = 3;
  }
  const log: u32 = clevel == 1 ? 12 : clevel == 2 ? 13 : 14;
  const second = clevel == 9; // also index the position after a match's end
  memory.fill(TABLE, 0, 4 << log);

  const oend = dst + <usize>dstCap;
  const bound = src + n - 1;
  const stop = src + n - TAIL;
  let op = dst;
  let lit = src; // first literal not yet written
  let ip = src + 4; // the stream opens with at least 4 literals

  while (ip < stop) {
    const seq = load<u32>(ip);
    const slot = TABLE + (hashOf(seq, log) << 2);
    const cand = src + <usize>load<u32>(slot);
    store<u32>(slot, <u32>(ip - src));
    const dist = ip - cand;
    if (dist != 0 && dist < FAR_LIMIT && load<u32>(cand) == seq) {
      const end = scanEnd(ip, cand, bound) - back;
      const lenB = end - ip; // the match covers lenB + 2 bytes
      const d = dist - 1;
      if (end > ip && lenB >= minLen && (lenB > 5 || d < NEAR_LIMIT)) {
        const cost = matchCost(lenB, d);
        if (literalCost(ip - lit) + cost + 1 > oend - op) return 0;
        op = putLiterals(op, lit, ip);
        if (lenB < 7) {
          if (d < NEAR_LIMIT) {
            store<u8>(op, <u8>((lenB << 5) | (d >> 8)));
            store<u8>(op, <u8>d, 1);
            op += 2;
          } else {
            const f = d - NEAR_LIMIT;
            store<u8>(op, <u8>((lenB << 5) | 31));
            store<u8>(op, 255, 1);
            store<u8>(op, <u8>(f >> 8), 2);
            store<u8>(op, <u8>f, 3);
            op += 4;
          }
        } else {
          const ext = lenB - 7;
          const k = ext / 255;
          store<u8>(op, <u8>(0xe0 | (d < NEAR_LIMIT ? d >> 8 : 31)));
          memory.fill(op + 1, 255, k);
          op += k + 1;
          store<u8>(op++, <u8>(ext - k * 255));
          if (d < NEAR_LIMIT) {
            store<u8>(op++, <u8>d);
          } else {
            const f = d - NEAR_LIMIT;
            store<u8>(op, 255);
            store<u8>(op, <u8>(f >> 8), 1);
            store<u8>(op, <u8>f, 2);
            op += 3;
          }
        }
        // Index the match end (and at clevel 9 the byte after it, from a 3-byte key), then
        // resume after the match.
        const next = load<u32>(end);
        store<u32>(TABLE + (hashOf(next, log) << 2), <u32>(end - src));
        if (second) store<u32>(TABLE + (hashOf(next >> 8, log) << 2), <u32>(end + 1 - src));
        ip = end + 2;
        lit = ip;
        continue;
      }
    }
    ip++;
    // Give up as soon as the pending literals alone cannot fit any more.
    if (literalCost(ip - lit) > oend - op) return 0;
  }

  const tail = src + n;
  if (literalCost(tail - lit) > oend - op) return 0;
  op = putLiterals(op, lit, tail);
  store<u8>(dst, load<u8>(dst) | 0x20); // level-2 marker on the first (literal) control byte
  return <i32>(op - dst);
}
