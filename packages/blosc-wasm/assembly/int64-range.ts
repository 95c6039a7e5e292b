// Smallest and largest of n >= 1 int64 at p, for chunk statistics: JavaScript has no fast way to
// compare 64-bit integers (a BigInt64Array yields a BigInt per element; comparing word pairs runs
// at ~3 GB/s), while two-lane SIMD compares here run at memory speed. Unsigned values are
// compared with the sign bit flipped, which maps uint64 order onto int64 order; the results are
// flipped back. Writes min at out and max at out + 8; reads exactly [p, p + 8n).

@inline function minLanes(a: v128, b: v128): v128 {
  return v128.bitselect(b, a, i64x2.lt_s(b, a));
}

@inline function maxLanes(a: v128, b: v128): v128 {
  return v128.bitselect(b, a, i64x2.gt_s(b, a));
}

export function int64Range(p: usize, n: usize, unsigned: i32, out: usize): void {
  const flip: i64 = unsigned != 0 ? <i64>0x8000000000000000 : 0;
  const flipv = i64x2.splat(flip);
  const end = p + (n << 3);
  let lo = v128.xor(i64x2.splat(load<i64>(p)), flipv);
  let hi = lo;
  let lo2 = lo;
  let hi2 = lo;
  // Four values per step in two independent lane pairs.
  while (p + 32 <= end) {
    const a = v128.xor(v128.load(p), flipv);
    const b = v128.xor(v128.load(p, 16), flipv);
    lo = minLanes(lo, a);
    hi = maxLanes(hi, a);
    lo2 = minLanes(lo2, b);
    hi2 = maxLanes(hi2, b);
    p += 32;
  }
  lo = minLanes(lo, lo2);
  hi = maxLanes(hi, hi2);
  let mn = i64x2.extract_lane(lo, 0);
  let mx = i64x2.extract_lane(hi, 0);
  const mn1 = i64x2.extract_lane(lo, 1);
  const mx1 = i64x2.extract_lane(hi, 1);
  if (mn1 < mn) mn = mn1;
  if (mx1 > mx) mx = mx1;
  while (p < end) {
    const x = load<i64>(p) ^ flip;
    if (x < mn) mn = x;
    if (x > mx) mx = x;
    p += 8;
  }
  store<i64>(out, mn ^ flip);
  store<i64>(out, mx ^ flip, 8);
}
