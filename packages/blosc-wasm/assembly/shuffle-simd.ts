// SIMD building blocks shared by the byte shuffle (shuffle.ts) and the bit shuffle
// (bitshuffle.ts).
//
// All transposes here are built from "unpack" shuffles (interleave the low or high halves of
// two vectors at 8/16/32/64-bit granularity). V8 and other engines recognise these lane
// patterns and emit one punpck*/zip instruction each, whereas an arbitrary two-input
// i8x16.shuffle costs two table lookups and an OR.

// ---- unpack primitives ---------------------------------------------------------------------

/** Bytes 0..7 of a and b interleaved: a0 b0 a1 b1 ... a7 b7. */
@inline export function lo8(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
/** Bytes 8..15 of a and b interleaved. */
@inline export function hi8(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}
@inline export function lo16(a: v128, b: v128): v128 {
  return i16x8.shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11);
}
@inline export function hi16(a: v128, b: v128): v128 {
  return i16x8.shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15);
}
@inline export function lo32(a: v128, b: v128): v128 {
  return i32x4.shuffle(a, b, 0, 4, 1, 5);
}
@inline export function hi32(a: v128, b: v128): v128 {
  return i32x4.shuffle(a, b, 2, 6, 3, 7);
}
@inline export function lo64(a: v128, b: v128): v128 {
  return i64x2.shuffle(a, b, 0, 2);
}
@inline export function hi64(a: v128, b: v128): v128 {
  return i64x2.shuffle(a, b, 1, 3);
}

// Single-vector byte permutations use i8x16.swizzle with a constant index vector rather than
// i8x16.shuffle(v, v, ...): V8 rebuilds a shuffle's index vector from immediates at every use
// (4 instructions), while a constant operand is hoisted out of the loop, and swizzle with
// in-range constant indices compiles to a single pshufb.

/** For a vector holding two 8-byte elements: byte m of both elements side by side (m = 0..7). */
@inline export function pairBytes8(v: v128): v128 {
  return i8x16.swizzle(v, i8x16(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15));
}
/** For a vector holding four 4-byte elements: byte m of the four elements in 32-bit lane m. */
@inline export function quadBytes4(v: v128): v128 {
  return i8x16.swizzle(v, i8x16(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
}
/** For a vector holding eight 2-byte elements: the low bytes, then the high bytes. */
@inline export function splitBytes2(v: v128): v128 {
  return i8x16.swizzle(v, i8x16(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15));
}

// ---- 16 x 16 byte transpose ----------------------------------------------------------------

/**
 * Transposes a 16x16 byte matrix: row r is the 16 bytes at s + r*ss, and column c (byte c of
 * every row) is stored as 16 bytes at d + c*ds. Rows r >= rows are not loaded (treated as
 * zero) and columns c >= cols are not stored, so the caller can transpose a narrower matrix
 * without touching memory outside its regions. Columns are stored in increasing c, which the
 * generic unshuffle relies on when consecutive stores overlap.
 *
 * Network: four rounds of unpacks at 8, 16, 32 and 64 bits; after round k every unit of
 * 2^k bytes holds one column of 2^k consecutive rows.
 */
@inline export function transpose16(s: usize, ss: usize, rows: i32, d: usize, ds: usize, cols: i32): void {
  const z = i32x4.splat(0);
  const r0 = v128.load(s);
  const r1 = rows > 1 ? v128.load(s + ss) : z;
  const r2 = rows > 2 ? v128.load(s + 2 * ss) : z;
  const r3 = rows > 3 ? v128.load(s + 3 * ss) : z;
  const r4 = rows > 4 ? v128.load(s + 4 * ss) : z;
  const r5 = rows > 5 ? v128.load(s + 5 * ss) : z;
  const r6 = rows > 6 ? v128.load(s + 6 * ss) : z;
  const r7 = rows > 7 ? v128.load(s + 7 * ss) : z;
  const r8 = rows > 8 ? v128.load(s + 8 * ss) : z;
  const r9 = rows > 9 ? v128.load(s + 9 * ss) : z;
  const r10 = rows > 10 ? v128.load(s + 10 * ss) : z;
  const r11 = rows > 11 ? v128.load(s + 11 * ss) : z;
  const r12 = rows > 12 ? v128.load(s + 12 * ss) : z;
  const r13 = rows > 13 ? v128.load(s + 13 * ss) : z;
  const r14 = rows > 14 ? v128.load(s + 14 * ss) : z;
  const r15 = rows > 15 ? v128.load(s + 15 * ss) : z;

  // Round 1: a[2p] holds columns 0..7 of rows 2p,2p+1 (one 16-bit unit per column),
  // a[2p+1] columns 8..15.
  const a0 = lo8(r0, r1), a1 = hi8(r0, r1);
  const a2 = lo8(r2, r3), a3 = hi8(r2, r3);
  const a4 = lo8(r4, r5), a5 = hi8(r4, r5);
  const a6 = lo8(r6, r7), a7 = hi8(r6, r7);
  const a8 = lo8(r8, r9), a9 = hi8(r8, r9);
  const a10 = lo8(r10, r11), a11 = hi8(r10, r11);
  const a12 = lo8(r12, r13), a13 = hi8(r12, r13);
  const a14 = lo8(r14, r15), a15 = hi8(r14, r15);

  // Round 2: 32-bit units of 4 rows. b0: cols 0-3, b1: 4-7, b2: 8-11, b3: 12-15 of rows 0-3;
  // b4..b7 the same for rows 4-7, b8..b11 rows 8-11, b12..b15 rows 12-15.
  const b0 = lo16(a0, a2), b1 = hi16(a0, a2), b2 = lo16(a1, a3), b3 = hi16(a1, a3);
  const b4 = lo16(a4, a6), b5 = hi16(a4, a6), b6 = lo16(a5, a7), b7 = hi16(a5, a7);
  const b8 = lo16(a8, a10), b9 = hi16(a8, a10), b10 = lo16(a9, a11), b11 = hi16(a9, a11);
  const b12 = lo16(a12, a14), b13 = hi16(a12, a14), b14 = lo16(a13, a15), b15 = hi16(a13, a15);

  // Round 3: 64-bit units of 8 rows. c[q] holds cols 2q, 2q+1 of rows 0-7; c[8+q] of rows 8-15.
  const c0 = lo32(b0, b4), c1 = hi32(b0, b4), c2 = lo32(b1, b5), c3 = hi32(b1, b5);
  const c4 = lo32(b2, b6), c5 = hi32(b2, b6), c6 = lo32(b3, b7), c7 = hi32(b3, b7);
  const c8 = lo32(b8, b12), c9 = hi32(b8, b12), c10 = lo32(b9, b13), c11 = hi32(b9, b13);
  const c12 = lo32(b10, b14), c13 = hi32(b10, b14), c14 = lo32(b11, b15), c15 = hi32(b11, b15);

  // Round 4: whole columns.
  v128.store(d, lo64(c0, c8));
  if (cols > 1) v128.store(d + ds, hi64(c0, c8));
  if (cols > 2) v128.store(d + 2 * ds, lo64(c1, c9));
  if (cols > 3) v128.store(d + 3 * ds, hi64(c1, c9));
  if (cols > 4) v128.store(d + 4 * ds, lo64(c2, c10));
  if (cols > 5) v128.store(d + 5 * ds, hi64(c2, c10));
  if (cols > 6) v128.store(d + 6 * ds, lo64(c3, c11));
  if (cols > 7) v128.store(d + 7 * ds, hi64(c3, c11));
  if (cols > 8) v128.store(d + 8 * ds, lo64(c4, c12));
  if (cols > 9) v128.store(d + 9 * ds, hi64(c4, c12));
  if (cols > 10) v128.store(d + 10 * ds, lo64(c5, c13));
  if (cols > 11) v128.store(d + 11 * ds, hi64(c5, c13));
  if (cols > 12) v128.store(d + 12 * ds, lo64(c6, c14));
  if (cols > 13) v128.store(d + 13 * ds, hi64(c6, c14));
  if (cols > 14) v128.store(d + 14 * ds, lo64(c7, c15));
  if (cols > 15) v128.store(d + 15 * ds, hi64(c7, c15));
}
