// Byte unshuffle of one split block whose typesize streams are NOT contiguous: stream k starts
// at the address in the u32 table `ptrs[k]`. It is the decoder's hot path: in a split Blosc
// block every stream is either LZ4/BloscLZ data (decoded into scratch) or stored raw inside the
// chunk (the usual case for the noisy low bytes of floats). Reading raw streams where they are
// saves copying them into the scratch buffer first: on price data 6 of 8 streams are raw, so
// the copy would move 75% of the block an extra time.
//
//   n = len / ts (split blocks always hold a whole number of elements)
//   dst[i*ts + k] = stream_k[i]     (0 <= i < n, 0 <= k < ts)
//
// Writes exactly [dst, dst + len) and reads exactly [ptrs[k], ptrs[k] + n): like unshuffle, the
// last group is redone at elements n-16..n-1 instead of a scalar tail.

import { hi16, hi32, hi8, lo16, lo32, lo8 } from "./shuffle-simd";

@inline function gather8Group(
  p0: usize, p1: usize, p2: usize, p3: usize, p4: usize, p5: usize, p6: usize, p7: usize,
  i: usize, d: usize,
): void {
  const w0 = v128.load(p0 + i), w1 = v128.load(p1 + i), w2 = v128.load(p2 + i), w3 = v128.load(p3 + i);
  const w4 = v128.load(p4 + i), w5 = v128.load(p5 + i), w6 = v128.load(p6 + i), w7 = v128.load(p7 + i);
  // Same unpack network as unshuffle8Group (shuffle.ts): bytes, then 16-bit, then 32-bit units.
  const a01l = lo8(w0, w1), a01h = hi8(w0, w1), a23l = lo8(w2, w3), a23h = hi8(w2, w3);
  const a45l = lo8(w4, w5), a45h = hi8(w4, w5), a67l = lo8(w6, w7), a67h = hi8(w6, w7);
  const b0 = lo16(a01l, a23l), b1 = hi16(a01l, a23l), b2 = lo16(a01h, a23h), b3 = hi16(a01h, a23h);
  const c0 = lo16(a45l, a67l), c1 = hi16(a45l, a67l), c2 = lo16(a45h, a67h), c3 = hi16(a45h, a67h);
  v128.store(d, lo32(b0, c0));
  v128.store(d, hi32(b0, c0), 16);
  v128.store(d, lo32(b1, c1), 32);
  v128.store(d, hi32(b1, c1), 48);
  v128.store(d, lo32(b2, c2), 64);
  v128.store(d, hi32(b2, c2), 80);
  v128.store(d, lo32(b3, c3), 96);
  v128.store(d, hi32(b3, c3), 112);
}

function gather8(n: usize, ptrs: usize, dst: usize): void {
  const p0 = <usize>load<u32>(ptrs), p1 = <usize>load<u32>(ptrs, 4);
  const p2 = <usize>load<u32>(ptrs, 8), p3 = <usize>load<u32>(ptrs, 12);
  const p4 = <usize>load<u32>(ptrs, 16), p5 = <usize>load<u32>(ptrs, 20);
  const p6 = <usize>load<u32>(ptrs, 24), p7 = <usize>load<u32>(ptrs, 28);
  let i: usize = 0;
  let d = dst;
  for (; i + 32 <= n; i += 32, d += 256) {
    gather8Group(p0, p1, p2, p3, p4, p5, p6, p7, i, d);
    gather8Group(p0, p1, p2, p3, p4, p5, p6, p7, i + 16, d + 128);
  }
  for (; i + 16 <= n; i += 16, d += 128) gather8Group(p0, p1, p2, p3, p4, p5, p6, p7, i, d);
  if (i < n) gather8Group(p0, p1, p2, p3, p4, p5, p6, p7, n - 16, dst + 8 * (n - 16));
}

@inline function gather4Group(p0: usize, p1: usize, p2: usize, p3: usize, i: usize, d: usize): void {
  const a0 = v128.load(p0 + i), a1 = v128.load(p1 + i), a2 = v128.load(p2 + i), a3 = v128.load(p3 + i);
  const l01 = lo8(a0, a1), h01 = hi8(a0, a1), l23 = lo8(a2, a3), h23 = hi8(a2, a3);
  v128.store(d, lo16(l01, l23));
  v128.store(d, hi16(l01, l23), 16);
  v128.store(d, lo16(h01, h23), 32);
  v128.store(d, hi16(h01, h23), 48);
}

function gather4(n: usize, ptrs: usize, dst: usize): void {
  const p0 = <usize>load<u32>(ptrs), p1 = <usize>load<u32>(ptrs, 4);
  const p2 = <usize>load<u32>(ptrs, 8), p3 = <usize>load<u32>(ptrs, 12);
  let i: usize = 0;
  let d = dst;
  for (; i + 32 <= n; i += 32, d += 128) {
    gather4Group(p0, p1, p2, p3, i, d);
    gather4Group(p0, p1, p2, p3, i + 16, d + 64);
  }
  for (; i + 16 <= n; i += 16, d += 64) gather4Group(p0, p1, p2, p3, i, d);
  if (i < n) gather4Group(p0, p1, p2, p3, n - 16, dst + 4 * (n - 16));
}

@inline function gather2Group(p0: usize, p1: usize, i: usize, d: usize): void {
  const a = v128.load(p0 + i), b = v128.load(p1 + i);
  v128.store(d, lo8(a, b));
  v128.store(d, hi8(a, b), 16);
}

function gather2(n: usize, ptrs: usize, dst: usize): void {
  const p0 = <usize>load<u32>(ptrs), p1 = <usize>load<u32>(ptrs, 4);
  let i: usize = 0;
  let d = dst;
  for (; i + 32 <= n; i += 32, d += 64) {
    gather2Group(p0, p1, i, d);
    gather2Group(p0, p1, i + 16, d + 32);
  }
  for (; i + 16 <= n; i += 16, d += 32) gather2Group(p0, p1, i, d);
  if (i < n) gather2Group(p0, p1, n - 16, dst + 2 * (n - 16));
}

/**
 * Unshuffles `len` bytes (a whole number of `typesize` elements, at least 16 of them) from the
 * `typesize` streams whose addresses are the u32 values at `ptrs`. Returns 0, or -1 when this
 * typesize has no gathering kernel (only 2, 4 and 8 do) or the block is too small: the caller
 * then copies the streams together and uses `unshuffle`.
 */
export function unshuffleGather(typesize: i32, len: i32, ptrs: usize, dst: usize): i32 {
  if (typesize <= 0 || len <= 0 || len % typesize != 0) return -1;
  const n = <usize>(len / typesize);
  if (n < 16) return -1;
  if (typesize == 8) gather8(n, ptrs, dst);
  else if (typesize == 4) gather4(n, ptrs, dst);
  else if (typesize == 2) gather2(n, ptrs, dst);
  else return -1;
  return 0;
}
