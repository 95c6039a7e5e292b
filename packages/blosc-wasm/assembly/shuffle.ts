// Byte shuffle and unshuffle of one block (Blosc filter flag 0x01, chunk format spec §6.1).
//
//   ts = typesize, n = floor(len / ts)
//   shuffle  : dst[k*n + i] = src[i*ts + k]     (0 <= i < n, 0 <= k < ts)
//   unshuffle: dst[i*ts + k] = src[k*n + i]
//   the trailing len % ts bytes are copied unchanged.
//
// Viewed as matrices this is a transpose between n rows of ts bytes (the elements) and ts rows
// of n bytes (the "streams"). The kernels work on 16 elements at a time, so each stream
// contributes exactly one 16-byte vector:
// - typesize 2, 4, 8 (by far the most common) have dedicated unpack networks;
// - any other typesize goes through 16x16 byte transposes (shuffle-simd.ts): exactly one per
//   group for ts 16, several when ts > 16, one with missing rows/columns when ts < 16;
// - fewer than 16 elements fall back to scalar loops.
// When n is not a multiple of 16 the last group is redone at elements n-16..n-1: it rewrites
// some bytes with the same values, which is cheaper than a scalar tail.
//
// Both directions write exactly [dst, dst + len): never past it, even though the slack
// contract (README.md) would allow it, so a caller may unshuffle block after block into one
// output buffer in any order. Loads may go up to 15 bytes past the end of src (ts < 16
// shuffle), which the slack contract allows.

import { lo8, hi8, lo16, hi16, lo32, hi32, lo64, hi64, pairBytes8, quadBytes4, splitBytes2, transpose16 } from "./shuffle-simd";

/** 16 rows of 16 bytes, used for the last group of the generic unshuffle (see below). */
const SCRATCH: usize = memory.data(256, 16);

/**
 * 16 rows of 64 bytes. With ts >= 16 there are at least 16 streams, and their stride n is
 * often a multiple of 4 KB (power-of-two blocks), so all the streams map to the same L1 set
 * and evict each other. Visiting each stream once per 64 bytes instead of once per 16 bytes
 * (copying whole lines between the streams and this buffer) avoids fetching the same line
 * four times: 2-5x faster for power-of-two blocks, but ~25% slower otherwise, hence the
 * `crowded` test.
 */
const WIDE: usize = memory.data(1024, 64);

/**
 * Whether ts streams n bytes apart share L1 sets so much that more than `limit` of them fall
 * in one set (assuming 64 sets of 64-byte lines, as in 32-48 KB L1 caches).
 */
@inline function crowded(ts: usize, n: usize, limit: usize): bool {
  const low = n & (0 - n); // largest power of two dividing n
  const sets: usize = low >= 4096 ? 1 : low >= 64 ? 4096 / low : 64;
  return ts > limit * sets;
}

@inline function copy64(from: usize, to: usize): void {
  v128.store(to, v128.load(from));
  v128.store(to, v128.load(from, 16), 16);
  v128.store(to, v128.load(from, 32), 32);
  v128.store(to, v128.load(from, 48), 48);
}

export function shuffle(typesize: i32, len: i32, src: usize, dst: usize): void {
  if (len <= 0) return;
  if (typesize <= 1 || typesize > len) {
    memory.copy(dst, src, <usize>len);
    return;
  }
  const ts = <usize>typesize;
  const n = <usize>(len / typesize);
  if (n < 16) shuffleScalar(ts, n, src, dst);
  else if (ts == 2) shuffle2(n, src, dst);
  else if (ts == 4) shuffle4(n, src, dst);
  else if (ts == 8) shuffle8(n, src, dst);
  else shuffleGeneric(ts, n, src, dst);
  copyTrailing(ts * n, <usize>len, src, dst);
}

export function unshuffle(typesize: i32, len: i32, src: usize, dst: usize): void {
  if (len <= 0) return;
  if (typesize <= 1 || typesize > len) {
    memory.copy(dst, src, <usize>len);
    return;
  }
  const ts = <usize>typesize;
  const n = <usize>(len / typesize);
  if (n < 16) unshuffleScalar(ts, n, src, dst);
  else if (ts == 2) unshuffle2(n, src, dst);
  else if (ts == 4) unshuffle4(n, src, dst);
  else if (ts == 8) unshuffle8(n, src, dst);
  else unshuffleGeneric(ts, n, src, dst, <usize>len);
  copyTrailing(ts * n, <usize>len, src, dst);
}

@inline function copyTrailing(body: usize, len: usize, src: usize, dst: usize): void {
  if (body < len) memory.copy(dst + body, src + body, len - body);
}

// ---- scalar (fewer than 16 elements) -------------------------------------------------------

function shuffleScalar(ts: usize, n: usize, src: usize, dst: usize): void {
  for (let k: usize = 0; k < ts; k++) {
    const d = dst + k * n;
    for (let i: usize = 0; i < n; i++) store<u8>(d + i, load<u8>(src + i * ts + k));
  }
}

function unshuffleScalar(ts: usize, n: usize, src: usize, dst: usize): void {
  for (let k: usize = 0; k < ts; k++) {
    const s = src + k * n;
    for (let i: usize = 0; i < n; i++) store<u8>(dst + i * ts + k, load<u8>(s + i));
  }
}

// ---- typesize 2 ----------------------------------------------------------------------------
// Each 16-element group: 2 vectors of elements <-> 2 stream vectors.

@inline function shuffle2Group(s: usize, d: usize, n: usize): void {
  // Gather even bytes in the low half and odd bytes in the high half, then pair the halves.
  const v0 = v128.load(s), v1 = v128.load(s, 16);
  const e0 = splitBytes2(v0), e1 = splitBytes2(v1);
  v128.store(d, lo64(e0, e1));
  v128.store(d + n, hi64(e0, e1));
}

function shuffle2(n: usize, src: usize, dst: usize): void {
  let i: usize = 0;
  // Two groups per iteration halve the per-iteration loop and interrupt-check overhead,
  // which is comparable to the work of one group at this size.
  for (; i + 32 <= n; i += 32) {
    shuffle2Group(src + 2 * i, dst + i, n);
    shuffle2Group(src + 2 * i + 32, dst + i + 16, n);
  }
  for (; i + 16 <= n; i += 16) shuffle2Group(src + 2 * i, dst + i, n);
  if (i < n) shuffle2Group(src + 2 * (n - 16), dst + n - 16, n);
}

@inline function unshuffle2Group(s: usize, d: usize, n: usize): void {
  const a = v128.load(s), b = v128.load(s + n);
  v128.store(d, lo8(a, b));
  v128.store(d, hi8(a, b), 16);
}

function unshuffle2(n: usize, src: usize, dst: usize): void {
  let i: usize = 0;
  // Unrolled for the same reason as shuffle2.
  for (; i + 32 <= n; i += 32) {
    unshuffle2Group(src + i, dst + 2 * i, n);
    unshuffle2Group(src + i + 16, dst + 2 * i + 32, n);
  }
  for (; i + 16 <= n; i += 16) unshuffle2Group(src + i, dst + 2 * i, n);
  if (i < n) unshuffle2Group(src + n - 16, dst + 2 * (n - 16), n);
}

// ---- typesize 4 ----------------------------------------------------------------------------

@inline function shuffle4Group(s: usize, d: usize, n: usize): void {
  // Inside each vector of 4 elements, group byte k of the 4 elements into 32-bit lane k;
  // then a 4x4 transpose of 32-bit lanes collects lane k of the 4 vectors into stream k.
  const v0 = v128.load(s), v1 = v128.load(s, 16), v2 = v128.load(s, 32), v3 = v128.load(s, 48);
  const s0 = quadBytes4(v0), s1 = quadBytes4(v1), s2 = quadBytes4(v2), s3 = quadBytes4(v3);
  const t0 = lo32(s0, s1), t1 = lo32(s2, s3), t2 = hi32(s0, s1), t3 = hi32(s2, s3);
  v128.store(d, lo64(t0, t1));
  v128.store(d + n, hi64(t0, t1));
  v128.store(d + 2 * n, lo64(t2, t3));
  v128.store(d + 3 * n, hi64(t2, t3));
}

function shuffle4(n: usize, src: usize, dst: usize): void {
  let i: usize = 0;
  for (; i + 32 <= n; i += 32) {
    shuffle4Group(src + 4 * i, dst + i, n);
    shuffle4Group(src + 4 * i + 64, dst + i + 16, n);
  }
  for (; i + 16 <= n; i += 16) shuffle4Group(src + 4 * i, dst + i, n);
  if (i < n) shuffle4Group(src + 4 * (n - 16), dst + n - 16, n);
}

@inline function unshuffle4Group(s: usize, d: usize, n: usize, n2: usize, n3: usize): void {
  // Interleave bytes of streams (0,1) and (2,3), then 16-bit pairs of those: 8 unpacks for
  // 64 bytes of output.
  const a0 = v128.load(s), a1 = v128.load(s + n), a2 = v128.load(s + n2), a3 = v128.load(s + n3);
  const l01 = lo8(a0, a1), h01 = hi8(a0, a1), l23 = lo8(a2, a3), h23 = hi8(a2, a3);
  v128.store(d, lo16(l01, l23));
  v128.store(d, hi16(l01, l23), 16);
  v128.store(d, lo16(h01, h23), 32);
  v128.store(d, hi16(h01, h23), 48);
}

function unshuffle4(n: usize, src: usize, dst: usize): void {
  const n2 = n * 2, n3 = n * 3;
  let s = src, d = dst;
  const end = src + n;
  // Pointer increments instead of i*4 products keep the hot loop to a few adds, and two
  // groups per iteration halve the loop and interrupt-check overhead (~25% faster).
  for (; s + 32 <= end; s += 32, d += 128) {
    unshuffle4Group(s, d, n, n2, n3);
    unshuffle4Group(s + 16, d + 64, n, n2, n3);
  }
  for (; s + 16 <= end; s += 16, d += 64) unshuffle4Group(s, d, n, n2, n3);
  if (s < end) unshuffle4Group(end - 16, dst + 4 * (n - 16), n, n2, n3);
}

// ---- typesize 8 ----------------------------------------------------------------------------

@inline function shuffle8Group(s: usize, d: usize, n: usize): void {
  // Vector j holds elements 2j, 2j+1. pairBytes8 puts byte m of both into 16-bit lane m, and
  // an 8x8 transpose of 16-bit lanes (3 unpack rounds) gathers lane m of all 8 vectors.
  const s0 = pairBytes8(v128.load(s)), s1 = pairBytes8(v128.load(s, 16));
  const s2 = pairBytes8(v128.load(s, 32)), s3 = pairBytes8(v128.load(s, 48));
  const s4 = pairBytes8(v128.load(s, 64)), s5 = pairBytes8(v128.load(s, 80));
  const s6 = pairBytes8(v128.load(s, 96)), s7 = pairBytes8(v128.load(s, 112));
  // p: bytes 0-3 (l) or 4-7 (h) of elements 4q..4q+3, as 32-bit units per byte index.
  const p0l = lo16(s0, s1), p0h = hi16(s0, s1), p1l = lo16(s2, s3), p1h = hi16(s2, s3);
  const p2l = lo16(s4, s5), p2h = hi16(s4, s5), p3l = lo16(s6, s7), p3h = hi16(s6, s7);
  // q: 64-bit units (8 elements) per byte index; q0..q3 elements 0-7, r0..r3 elements 8-15.
  const q0 = lo32(p0l, p1l), q1 = hi32(p0l, p1l), q2 = lo32(p0h, p1h), q3 = hi32(p0h, p1h);
  const r0 = lo32(p2l, p3l), r1 = hi32(p2l, p3l), r2 = lo32(p2h, p3h), r3 = hi32(p2h, p3h);
  v128.store(d, lo64(q0, r0));
  v128.store(d + n, hi64(q0, r0));
  v128.store(d + 2 * n, lo64(q1, r1));
  v128.store(d + 3 * n, hi64(q1, r1));
  v128.store(d + 4 * n, lo64(q2, r2));
  v128.store(d + 5 * n, hi64(q2, r2));
  v128.store(d + 6 * n, lo64(q3, r3));
  v128.store(d + 7 * n, hi64(q3, r3));
}

function shuffle8(n: usize, src: usize, dst: usize): void {
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) shuffle8Group(src + 8 * i, dst + i, n);
  if (i < n) shuffle8Group(src + 8 * (n - 16), dst + n - 16, n);
}

@inline function unshuffle8Group(s: usize, d: usize, n: usize, n3: usize, n5: usize, n7: usize): void {
  const n2 = n + n, n4 = n2 + n2, n6 = n3 + n3;
  const w0 = v128.load(s), w1 = v128.load(s + n), w2 = v128.load(s + n2), w3 = v128.load(s + n3);
  const w4 = v128.load(s + n4), w5 = v128.load(s + n5), w6 = v128.load(s + n6), w7 = v128.load(s + n7);
  // Round 1: bytes of streams (0,1), (2,3), (4,5), (6,7) paired; l = elements 0-7, h = 8-15.
  const a01l = lo8(w0, w1), a01h = hi8(w0, w1), a23l = lo8(w2, w3), a23h = hi8(w2, w3);
  const a45l = lo8(w4, w5), a45h = hi8(w4, w5), a67l = lo8(w6, w7), a67h = hi8(w6, w7);
  // Round 2: 32-bit units = bytes 0-3 (b) or 4-7 (c) of one element, 4 elements per vector.
  const b0 = lo16(a01l, a23l), b1 = hi16(a01l, a23l), b2 = lo16(a01h, a23h), b3 = hi16(a01h, a23h);
  const c0 = lo16(a45l, a67l), c1 = hi16(a45l, a67l), c2 = lo16(a45h, a67h), c3 = hi16(a45h, a67h);
  // Round 3: whole elements, two per vector.
  v128.store(d, lo32(b0, c0));
  v128.store(d, hi32(b0, c0), 16);
  v128.store(d, lo32(b1, c1), 32);
  v128.store(d, hi32(b1, c1), 48);
  v128.store(d, lo32(b2, c2), 64);
  v128.store(d, hi32(b2, c2), 80);
  v128.store(d, lo32(b3, c3), 96);
  v128.store(d, hi32(b3, c3), 112);
}

function unshuffle8(n: usize, src: usize, dst: usize): void {
  const n3 = n * 3, n5 = n * 5, n7 = n * 7;
  let s = src, d = dst;
  const end = src + n;
  // Unrolled twice like unshuffle4 (decode hot path; measured ~10% faster).
  for (; s + 32 <= end; s += 32, d += 256) {
    unshuffle8Group(s, d, n, n3, n5, n7);
    unshuffle8Group(s + 16, d + 128, n, n3, n5, n7);
  }
  for (; s + 16 <= end; s += 16, d += 128) unshuffle8Group(s, d, n, n3, n5, n7);
  if (s < end) unshuffle8Group(end - 16, dst + 8 * (n - 16), n, n3, n5, n7);
}

// ---- any other typesize (n >= 16) ----------------------------------------------------------

function shuffleGeneric(ts: usize, n: usize, src: usize, dst: usize): void {
  let i: usize = 0;
  if (ts < 16) {
    // Rows are the 16 elements (16 bytes loaded from each, ts of them meaningful); only the
    // ts columns that are streams are stored.
    const cols = <i32>ts;
    for (; i + 16 <= n; i += 16) transpose16(src + i * ts, ts, 16, dst + i, n, cols);
    if (i < n) transpose16(src + (n - 16) * ts, ts, 16, dst + n - 16, n, cols);
    return;
  }
  // ts >= 16: bytes k0..k0+15 of 16 elements per transpose; the last column group is
  // shifted back to ts-16 so it stays inside the element (overlap rewrites equal bytes).
  // 64 elements at a time through WIDE when the stores would thrash L1 (see WIDE).
  if (crowded(ts, n, 8)) for (; i + 64 <= n; i += 64) {
    const s = src + i * ts, d = dst + i;
    for (let k: usize = 0; k < ts; k += 16) {
      const k0 = k + 16 <= ts ? k : ts - 16;
      for (let q: usize = 0; q < 64; q += 16) transpose16(s + q * ts + k0, ts, 16, WIDE + q, 64, 16);
      for (let c: usize = 0; c < 16; c++) copy64(WIDE + (c << 6), d + (k0 + c) * n);
    }
  }
  for (;;) {
    if (i + 16 > n) {
      if (i >= n) break;
      i = n - 16;
    }
    const s = src + i * ts, d = dst + i;
    for (let k: usize = 0; k < ts; k += 16) {
      const k0 = k + 16 <= ts ? k : ts - 16;
      transpose16(s + k0, ts, 16, d + k0 * n, n, 16);
    }
    i += 16;
  }
}

function unshuffleGeneric(ts: usize, n: usize, src: usize, dst: usize, len: usize): void {
  let i: usize = 0;
  if (ts < 16) {
    // Rows are the ts streams (rows ts..15 are zero); column j, i.e. element i+j, is stored
    // as 16 bytes at dst + (i+j)*ts. Only its first ts bytes are meaningful, the rest is
    // overwritten by the next element's store because columns are stored in order. The
    // store of the last element would overshoot, so the (at most two) groups whose last store
    // would pass len go through SCRATCH and are copied out element by element.
    const rows = <i32>ts;
    for (; i + 16 <= n && (i + 15) * ts + 16 <= len; i += 16) {
      transpose16(src + i, n, rows, dst + i * ts, ts, 16);
    }
    while (i < n) {
      const g = i + 16 <= n ? i : n - 16; // the final group overlaps groups already done
      transpose16(src + g, n, rows, SCRATCH, 16, 16);
      for (let j = i - g; j < 16; j++) {
        const from = SCRATCH + (j << 4), to = dst + (g + j) * ts;
        for (let k: usize = 0; k < ts; k++) store<u8>(to + k, load<u8>(from + k));
      }
      i = g + 16;
    }
    return;
  }
  // Loads suffer less than stores from the set conflicts, hence the higher threshold.
  if (crowded(ts, n, 16)) for (; i + 64 <= n; i += 64) {
    const s = src + i, d = dst + i * ts;
    for (let k: usize = 0; k < ts; k += 16) {
      const k0 = k + 16 <= ts ? k : ts - 16;
      for (let c: usize = 0; c < 16; c++) copy64(s + (k0 + c) * n, WIDE + (c << 6));
      for (let q: usize = 0; q < 64; q += 16) transpose16(WIDE + q, 64, 16, d + q * ts + k0, ts, 16);
    }
  }
  for (;;) {
    if (i + 16 > n) {
      if (i >= n) break;
      i = n - 16;
    }
    const s = src + i, d = dst + i * ts;
    for (let k: usize = 0; k < ts; k += 16) {
      const k0 = k + 16 <= ts ? k : ts - 16;
      transpose16(s + k0 * n, n, 16, d + k0, ts, 16);
    }
    i += 16;
  }
}
