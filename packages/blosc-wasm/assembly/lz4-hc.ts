// LZ4HC-style block encoder, same block format as lz4Compress.
//
// Index: every position goes into hash chains (HEAD keyed by the next 4 bytes; CHAIN holds per
// position the u16 distance to the previous position with the same hash, over the 64 KB
// window). A search walks at most 2^(level-1) candidates (2 for levels 1 and 2), as the
// reference LZ4HC levels 1..9 do.
//
// Parse: take the longest match at ip, then repeatedly probe near its end for a "wider"
// match, one that extends backward into the current match (or the pending literals) and
// reaches further. A wider match starting within the current match's first REPLACE bytes
// replaces it (a few literals for a longer match); one that reaches only 1..3 bytes further
// cuts the current match short; otherwise the current match is emitted whole and the parse
// resumes after it. If replacements drift 4+ bytes past the first match found, that match is
// still emitted (cut short) rather than leaving literals. This finds the overlapping matches a
// greedy or lazy parse misses, e.g. on small integers stored in wide words, where the rare
// bytes sit in the middle of each match. Ratios measured within ~1% of LZ4HC 1.9 levels 1..9.
import {
  countEqual,
  LAST_LITERALS,
  MAX_OFFSET,
  MF_LIMIT,
  MIN_INPUT,
  MIN_MATCH,
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
let matchStart: usize = 0; // start of the match found by the last search
let matchRef: usize = 0; // its source
let curAnchor: usize = 0; // start of the literals not yet emitted

// How far into a match longestMatch looks for a rarer chain to follow.
const SWAP_SCAN: usize = 32;
// A wider match starting fewer than this many bytes into the current one replaces it
// (tuned: 3 gives the best ratios on text, numeric planes and small integers).
const REPLACE: usize = 3;

// @ts-ignore: decorator
@inline function hash4(p: usize): usize {
  return <usize>((load<u32>(p) * 2654435761) >>> (32 - HASH_LOG));
}

// @ts-ignore: decorator
@inline function chainHop(p: usize): usize {
  return <usize>load<u16>(CHAIN + ((p & WINDOW_MASK) << 1));
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

/** Distance from p back to its latest indexed occurrence (huge when there is none). */
// @ts-ignore: decorator
@inline function firstDistance(p: usize): usize {
  return <usize>(<u32>(p - src0) + callBase - load<u32>(HEAD + (hash4(p) << 2)));
}

/** Equal bytes going backward from p - 1 and q - 1, at most `max`. 8 bytes per step. */
function countBack(p: usize, q: usize, max: usize): usize {
  let n: usize = 0;
  while (n + 8 <= max) {
    const diff = load<u64>(p - n - 8) ^ load<u64>(q - n - 8);
    if (diff != 0) return n + <usize>(clz(diff) >> 3);
    n += 8;
  }
  while (n < max && load<u8>(p - n - 1) == load<u8>(q - n - 1)) n++;
  return n;
}

/**
 * Longest match at ip among `attempts` chain candidates, ending no later than `limit`.
 * Returns its length (>= 4) with the source in matchRef, or 0 when there is none.
 *
 * Chain swap: once a match of length L at cand is known, cand + k has the same 4 bytes as
 * ip + k for every k <= L - 4, and so does every longer match. The walk may therefore go on
 * along the chain of cand + k for whichever k hops back farthest (the rarest bytes), taking
 * node - k as the candidate, and skip the many candidates that share only the common prefix.
 */
function longestMatch(ip: usize, limit: usize, attempts: u32): usize {
  indexUpTo(ip);
  const maxDist = min<usize>(MAX_OFFSET, ip - src0);
  let dist = firstDistance(ip); // candidate = ip - dist
  let k: usize = 0; // the walk follows the chain of position ip + k
  let best: usize = MIN_MATCH - 1;
  // dist - 1 < maxDist rejects distance 0, anything outside the window, or before src.
  while (dist - 1 < maxDist && attempts > 0) {
    attempts--;
    const cand = ip - dist;
    // Only a candidate that also matches at the byte after the current best can beat it.
    if (load<u8>(cand + best) == load<u8>(ip + best) && load<u32>(cand) == load<u32>(ip)) {
      const len = MIN_MATCH + countEqual(ip + MIN_MATCH, cand + MIN_MATCH, limit);
      if (len > best) {
        best = len;
        matchRef = cand;
        if (ip + len >= limit) break; // cannot get longer
        // Positions before ip only are indexed, hence j < dist.
        let hop = chainHop(cand + k);
        const last = min<usize>(min<usize>(len - MIN_MATCH, dist - 1), SWAP_SCAN);
        for (let j: usize = 0; j <= last; j++) {
          const h = chainHop(cand + j);
          if (h > hop) {
            hop = h;
            k = j;
          }
        }
      }
    }
    dist += chainHop(cand + k);
  }
  return best >= MIN_MATCH ? best : 0;
}

/**
 * Among `attempts` candidates for position `probe`, the match that, extended backward down
 * to `low` at most, is longer than `toBeat`. Returns its length with matchStart/matchRef set,
 * or 0 when no candidate beats `toBeat`.
 */
function widerMatch(probe: usize, low: usize, limit: usize, attempts: u32, toBeat: usize): usize {
  indexUpTo(probe);
  const maxDist = min<usize>(MAX_OFFSET, probe - src0);
  let dist = firstDistance(probe);
  let best = toBeat;
  while (dist - 1 < maxDist && attempts > 0) {
    attempts--;
    const cand = probe - dist;
    const backMax = min<usize>(probe - low, cand - src0);
    // The forward part must exceed best - backMax; test the byte that decides it first.
    const need = best >= backMax ? best - backMax : 0;
    if (probe + need < limit && load<u8>(cand + need) == load<u8>(probe + need) && load<u32>(cand) == load<u32>(probe)) {
      const fwd = MIN_MATCH + countEqual(probe + MIN_MATCH, cand + MIN_MATCH, limit);
      if (fwd + backMax > best) {
        const back = countBack(probe, cand, backMax);
        if (fwd + back > best) {
          best = fwd + back;
          matchStart = probe - back;
          matchRef = cand - back;
        }
      }
    }
    dist += chainHop(cand);
  }
  return best > toBeat ? best : 0;
}

/**
 * Emits the first match found at the current parse point, cut to end where the current match
 * starts, when replacements have moved the current match at least MIN_MATCH bytes past it:
 * that costs less than leaving those bytes as literals. Returns the new output position.
 */
function emitFirst(op: usize, oend: usize, start: usize, start0: usize, len0: usize, ref0: usize): usize {
  if (start < start0 + MIN_MATCH) return op;
  const keep = min<usize>(len0, start - start0);
  op = writeSequence(op, oend, curAnchor, start0 - curAnchor, start0 - ref0, keep);
  curAnchor = start0 + keep;
  return op;
}

/**
 * Compresses src[0, srcLen) as one LZ4 block into dst (capacity dstCap) with HC `level`
 * (1..12; 0 or less means 9). Returns the block length, or 0 when it would not fit.
 */
export function lz4hcCompress(src: usize, srcLen: i32, dst: usize, dstCap: i32, level: i32): i32 {
  if (srcLen < 0 || dstCap <= 0) return 0;
  if (level < 1) level = 9;
  if (level > 12) level = 12;
  const attempts: u32 = 1 << <u32>(level > 2 ? level - 1 : 1);
  const iend = src + <usize>srcLen;
  const oend = dst + <usize>dstCap;
  let op = dst;
  curAnchor = src;

  if (srcLen >= MIN_INPUT) {
    startCall(src, <u32>srcLen);
    const mfLimit = iend - MF_LIMIT; // last position where a match may start
    const matchLimit = iend - LAST_LITERALS; // matches end before the last literals
    let ip = src;
    while (ip <= mfLimit) {
      let len = longestMatch(ip, matchLimit, attempts);
      if (len == 0) {
        ip++;
        continue;
      }
      let start = ip;
      let ref = matchRef;
      // The first match found here; kept in case later replacements move past its start.
      let start0 = start;
      let len0 = len;
      let ref0 = ref;
      // Probe 2 bytes before the end: a match found there overlaps the current one.
      while (start + len - 2 <= mfLimit && start + len < matchLimit) {
        const wide = widerMatch(start + len - 2, curAnchor, matchLimit, attempts, len);
        if (wide == 0) break;
        if (matchStart < start + REPLACE) {
          // It starts too early for the current match to stay worthwhile: replace it.
          start = matchStart;
          len = wide;
          ref = matchRef;
        } else if (matchStart >= start + MIN_MATCH && matchStart + wide < start + len + MIN_MATCH) {
          // It reaches only 1..3 bytes further: emitting the current match whole would leave
          // those as literals, so cut the current match where the wider one begins.
          op = emitFirst(op, oend, start, start0, len0, ref0);
          if (op == 0) return 0;
          op = writeSequence(op, oend, curAnchor, start - curAnchor, start - ref, matchStart - start);
          if (op == 0) return 0;
          curAnchor = start0 = start = matchStart;
          len0 = len = wide;
          ref0 = ref = matchRef;
        } else {
          break; // the remainder will be found again after the current match
        }
      }
      op = emitFirst(op, oend, start, start0, len0, ref0);
      if (op == 0) return 0;
      op = writeSequence(op, oend, curAnchor, start - curAnchor, start - ref, len);
      if (op == 0) return 0;
      ip = curAnchor = start + len;
    }
  }
  op = writeLastLiterals(op, oend, curAnchor, iend - curAnchor);
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
