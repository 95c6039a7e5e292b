// Match copy shared by the BloscLZ and Snappy decoders.
//
// Both formats copy `len` bytes from `dist` bytes back in the output, forward, so a match whose
// distance is shorter than its length repeats its first `dist` bytes (distance 1 is a fill).
// memory.copy has memmove semantics and would be wrong there, so everything below works in
// 16-byte vectors whose loads only ever see bytes that are already final.
//
// Memory contract (assembly/README.md): the caller has checked that op + len <= dst + dstLen
// and that op - dist >= dst; the copies may overshoot op + len by up to 15 bytes, which stays
// inside the 32 writable bytes of slack after the output.

// Row d (1..15) holds i % d for i = 0..15: swizzling the 16 bytes at op - d by it gives the
// first 16 bytes of the repeating pattern, whatever lies beyond op (not yet written).
const PERIOD_MASKS: usize = memory.data(16 * 16, 16);
// STRIDE[d] = the smallest multiple of d that is >= 16. Once 16 bytes of the pattern exist,
// the bytes STRIDE[d] back are equal to the ones to write and a whole vector behind.
const STRIDE: usize = memory.data(16, 16);
for (let d = 1; d < 16; d++) {
  for (let i = 0; i < 16; i++) store<u8>(PERIOD_MASKS + (d << 4) + i, <u8>(i % d));
  store<u8>(STRIDE + d, <u8>(((16 + d - 1) / d) * d));
}

// Above this length a fill or a non-overlapping copy goes through the bulk-memory builtins,
// whose call overhead only pays off on long runs (zero byte planes of shuffled data).
const BULK: usize = 512;

/** Copies a match of `len` >= 1 bytes at distance `dist` >= 1 to `op` (see the contract above). */
// @ts-ignore: decorator
@inline export function copyMatch(op: usize, dist: usize, len: usize): void {
  const end = op + len;
  if (dist >= 16) {
    if (dist >= len && len >= BULK) {
      memory.copy(op, op - dist, len); // source and destination are disjoint here
      return;
    }
    let s = op - dist;
    // Two vectors per turn when the distance allows it: the second load must not see
    // the first store.
    if (dist >= 32) {
      while (op + 16 < end) {
        const a = v128.load(s);
        const b = v128.load(s, 16);
        v128.store(op, a);
        v128.store(op, b, 16);
        op += 32;
        s += 32;
      }
      if (op < end) v128.store(op, v128.load(s));
      return;
    }
    do {
      v128.store(op, v128.load(s));
      op += 16;
      s += 16;
    } while (op < end);
    return;
  }
  if (dist == 1) {
    const b = load<u8>(op - 1);
    if (len >= BULK) {
      memory.fill(op, b, len);
      return;
    }
    const v = i8x16.splat(b);
    do {
      v128.store(op, v);
      v128.store(op, v, 16);
      op += 32;
    } while (op < end);
    return;
  }
  // 2 <= dist <= 15: the first vector comes from a swizzle, the rest are plain copies from
  // STRIDE[dist] bytes back (a whole number of periods, and at least one vector behind).
  v128.store(op, i8x16.swizzle(v128.load(op - dist), v128.load(PERIOD_MASKS + (dist << 4))));
  const stride = <usize>load<u8>(STRIDE + dist);
  op += 16;
  while (op < end) {
    v128.store(op, v128.load(op - stride));
    op += 16;
  }
}
