// Greedy LZ4 block encoder in the manner of LZ4_compress_fast: one hash table of recent
// positions keyed by the next 4 (small inputs) or 5 (large inputs) bytes, a search that
// skips ahead faster the longer it goes without a match (acceleration sets the initial
// pace), backward and forward match extension, and an immediate re-probe after each match.
import {
  countEqual,
  LAST_LITERALS,
  MAX_OFFSET,
  MF_LIMIT,
  MIN_INPUT,
  writeLastLiterals,
  writeSequence,
} from "./lz4-common";

// Table sizes follow the reference encoder's defaults (16 KB of state), which the ratio
// targets are measured against: 2^13 entries for inputs below 64 KB, 2^12 above.
const SMALL_HASH_LOG: u32 = 13;
const LARGE_HASH_LOG: u32 = 12;
const SMALL_INPUT: i32 = 65536;
const TABLE: usize = memory.data(4 << SMALL_HASH_LOG, 16);

// The table stores `position + base` (u32). Each call moves `base` past every value stored
// by earlier calls, plus a window, so stale entries look farther than MAX_OFFSET and are
// rejected by the distance test: no clearing per call. Cleared only when base would wrap.
let base: u32 = 0;

// The search pace grows by one byte every 2^SKIP_TRIGGER consecutive misses.
const SKIP_TRIGGER: u32 = 6;

// Knuth's multiplicative hash of the next 4 bytes.
// @ts-ignore: decorator
@inline function hash4(p: usize): usize {
  return <usize>((load<u32>(p) * 2654435761) >>> (32 - SMALL_HASH_LOG));
}

// Five bytes discriminate better than four when the table is shared by a long input. The
// shift drops the 3 bytes past them; the multiplier is 2^64 / golden ratio (Fibonacci hashing).
// @ts-ignore: decorator
@inline function hash5(p: usize): usize {
  return <usize>(((load<u64>(p) << 24) * 0x9e3779b97f4a7c15) >>> (64 - LARGE_HASH_LOG));
}

// @ts-ignore: decorator
@inline function hashAt(p: usize, large: bool): usize {
  return large ? hash5(p) : hash4(p);
}

/** Reserves positions [0, n) of this call and returns the base to add to them. */
function startCall(n: u32): u32 {
  if (base == 0 || base > 0xffffffff - n - 2 * (MAX_OFFSET + 1)) {
    memory.fill(TABLE, 0, 4 << SMALL_HASH_LOG);
    base = MAX_OFFSET + 1; // the zeroed entries are now one window away: invalid
  }
  const b = base;
  base += n + MAX_OFFSET + 1;
  return b;
}

/**
 * Compresses src[0, srcLen) as one LZ4 block into dst (capacity dstCap).
 * Returns the block length, or 0 when it would not fit.
 */
export function lz4Compress(src: usize, srcLen: i32, dst: usize, dstCap: i32, acceleration: i32): i32 {
  if (srcLen < 0 || dstCap <= 0) return 0;
  const accel: u32 = acceleration < 1 ? 1 : acceleration > 65537 ? 65537 : <u32>acceleration;
  const iend = src + <usize>srcLen;
  const oend = dst + <usize>dstCap;
  let op = dst;
  let anchor = src;
  if (srcLen >= MIN_INPUT) {
    // Two inlined copies, so that the hash choice is a constant inside each.
    op =
      srcLen >= SMALL_INPUT
        ? compressBody(src, iend, dst, oend, accel, true)
        : compressBody(src, iend, dst, oend, accel, false);
    if (op == 0) return 0;
    anchor = lastAnchor;
  }
  op = writeLastLiterals(op, oend, anchor, iend - anchor);
  return op == 0 ? 0 : <i32>(op - dst);
}

// compressBody returns the output position and leaves the start of the unmatched tail here.
let lastAnchor: usize = 0;

// @ts-ignore: decorator
@inline function compressBody(src: usize, iend: usize, dst: usize, oend: usize, accel: u32, large: bool): usize {
  const b = startCall(<u32>(iend - src));
  const mfLimit = iend - MF_LIMIT; // last position where a match may start
  const matchLimit = iend - LAST_LITERALS; // matches end before the last literals
  let op = dst;
  let anchor = src;

  store<u32>(TABLE + (hashAt(src, large) << 2), b);
  let ip = src + 1;

  while (true) {
    // Look for a 4-byte match, moving `step` bytes after each miss.
    let cand: usize = 0;
    let step: usize = 1;
    let misses: u32 = accel << SKIP_TRIGGER;
    while (true) {
      if (ip > mfLimit) {
        lastAnchor = anchor;
        return op;
      }
      const slot = TABLE + (hashAt(ip, large) << 2);
      const here = <u32>(ip - src) + b;
      const dist = here - load<u32>(slot);
      store<u32>(slot, here);
      // dist - 1 < MAX_OFFSET also rejects dist 0 (a position probed twice after a
      // backward-extended match); unsigned wrap makes stale entries huge.
      if (dist - 1 < MAX_OFFSET && load<u32>(ip - dist) == load<u32>(ip)) {
        cand = ip - dist;
        break;
      }
      ip += step;
      step = <usize>(misses++ >> SKIP_TRIGGER);
    }

    // The match may begin earlier than where the hash found it.
    while (ip > anchor && cand > src && load<u8>(ip - 1) == load<u8>(cand - 1)) {
      ip--;
      cand--;
    }

    // Emit it, then keep emitting while the position right after a match starts another.
    while (true) {
      const len = <usize>4 + countEqual(ip + 4, cand + 4, matchLimit);
      op = writeSequence(op, oend, anchor, ip - anchor, ip - cand, len);
      if (op == 0) return 0;
      ip += len;
      anchor = ip;
      if (ip > mfLimit) {
        lastAnchor = anchor;
        return op;
      }
      // Index a position inside the match too: cheap, and helps the next matches.
      store<u32>(TABLE + (hashAt(ip - 2, large) << 2), <u32>(ip - 2 - src) + b);
      const slot = TABLE + (hashAt(ip, large) << 2);
      const here = <u32>(ip - src) + b;
      const dist = here - load<u32>(slot);
      store<u32>(slot, here);
      if (dist - 1 >= MAX_OFFSET || load<u32>(ip - dist) != load<u32>(ip)) break;
      cand = ip - dist;
    }
    ip++;
  }
}
