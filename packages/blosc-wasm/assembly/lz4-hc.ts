// LZ4HC-style block encoder: every position is indexed in hash chains (a head table keyed by
// the next 4 bytes, and per position the u16 distance to the previous position with the same
// hash, over the 64 KB window), the longest match among up to 2^(level-1) candidates is taken,
// and a lazy step prefers a longer match starting one byte later. Same block format as lz4Compress.
import {
  countEqual,
  LAST_LITERALS,
  MAX_OFFSET,
  MF_LIMIT,
  MIN_INPUT,
  writeLastLiterals,
  writeSequence,
} from "./lz4-common";

const HASH_LOG: u32 = 15;
const HEAD: usize = memory.data(4 << HASH_LOG, 16);
const WINDOW_MASK: usize = 0xffff;
const CHAIN: usize = memory.data(2 << 16, 16);

// HEAD holds `position + base` like the fast encoder's table: each call moves `base` a window
// past everything stored before, so old entries fail the distance test without any clearing.
// CHAIN needs no clearing either: it is only read at positions this call has indexed.
let base: u32 = 0;

// Per-call state, kept in globals so the helpers stay plain functions.
let src0: usize = 0; // start of the input
let callBase: u32 = 0; // base of this call
let nextToIndex: usize = 0; // first position not yet in the chains
let bestRef: usize = 0; // source of the match found by longestMatch

// @ts-ignore: decorator
@inline function hash4(p: usize): usize {
  return <usize>((load<u32>(p) * 2654435761) >>> (32 - HASH_LOG));
}

/** Adds positions [nextToIndex, target) to the chains. */
function indexUpTo(target: usize): void {
  let p = nextToIndex;
  while (p < target) {
    const slot = HEAD + (hash4(p) << 2);
    const here = <u32>(p - src0) + callBase;
    const delta = here - load<u32>(slot);
    // A distance beyond the window ends the chain (the walk stops on any distance > MAX_OFFSET).
    store<u16>(CHAIN + ((p & WINDOW_MASK) << 1), <u16>(delta > MAX_OFFSET ? MAX_OFFSET : delta));
    store<u32>(slot, here);
    p++;
  }
  nextToIndex = p;
}

/**
 * Longest match for ip among `attempts` chain candidates, ending no later than `limit`.
 * Returns its length (>= 4) with the source in bestRef, or 0 when there is none.
 */
function longestMatch(ip: usize, limit: usize, attempts: u32): usize {
  indexUpTo(ip);
  let dist = <u32>(ip - src0) + callBase - load<u32>(HEAD + (hash4(ip) << 2));
  let best: usize = 3;
  // dist - 1 < MAX_OFFSET rejects both distance 0 and anything outside the window.
  while (dist - 1 < MAX_OFFSET && attempts > 0) {
    attempts--;
    const cand = ip - <usize>dist;
    // Only a candidate that also matches at the byte after the current best can beat it.
    if (load<u8>(cand + best) == load<u8>(ip + best) && load<u32>(cand) == load<u32>(ip)) {
      const len = <usize>4 + countEqual(ip + 4, cand + 4, limit);
      if (len > best) {
        best = len;
        bestRef = cand;
        if (ip + len >= limit) break; // cannot get longer
      }
    }
    dist += <u32>load<u16>(CHAIN + ((cand & WINDOW_MASK) << 1));
  }
  return best >= 4 ? best : 0;
}

/**
 * Compresses src[0, srcLen) as one LZ4 block into dst (capacity dstCap) with HC `level`
 * (1..12; 0 or less means 9). Returns the block length, or 0 when it would not fit.
 */
export function lz4hcCompress(src: usize, srcLen: i32, dst: usize, dstCap: i32, level: i32): i32 {
  if (srcLen < 0 || dstCap <= 0) return 0;
  if (level < 1) level = 9;
  if (level > 12) level = 12;
  // Candidates examined per search, as the reference levels 1..9 do (2, 2, 4, ..., 256).
  const attempts: u32 = 1 << <u32>(level > 2 ? level - 1 : 1);
  const iend = src + <usize>srcLen;
  const oend = dst + <usize>dstCap;
  let op = dst;
  let anchor = src;

  if (srcLen >= MIN_INPUT) {
    startCall(src, <u32>srcLen);
    const mfLimit = iend - MF_LIMIT;
    const matchLimit = iend - LAST_LITERALS;
    let ip = src;
    while (ip <= mfLimit) {
      let len = longestMatch(ip, matchLimit, attempts);
      if (len == 0) {
        ip++;
        continue;
      }
      let ref = bestRef;
      // Lazy step: one literal more is worth it when the next position matches longer.
      while (ip < mfLimit) {
        const next = longestMatch(ip + 1, matchLimit, attempts);
        if (next <= len) break;
        ip++;
        len = next;
        ref = bestRef;
      }
      op = writeSequence(op, oend, anchor, ip - anchor, ip - ref, len);
      if (op == 0) return 0;
      ip += len;
      anchor = ip;
    }
  }
  op = writeLastLiterals(op, oend, anchor, iend - anchor);
  return op == 0 ? 0 : <i32>(op - dst);
}

function startCall(src: usize, n: u32): void {
  if (base == 0 || base > 0xffffffff - n - 2 * (MAX_OFFSET + 1)) {
    memory.fill(HEAD, 0, 4 << HASH_LOG);
    base = MAX_OFFSET + 1; // zeroed entries are now a full window away: invalid
  }
  callBase = base;
  base += n + MAX_OFFSET + 1;
  src0 = src;
  nextToIndex = src;
}
