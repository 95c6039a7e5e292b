// Pieces shared by the two LZ4 encoders (lz4-fast.ts, lz4-hc.ts): match measuring and
// sequence emission. Both encoders follow the end-of-block rules of the LZ4 block format:
//   - inputs shorter than MIN_INPUT are emitted as one literal run;
//   - a match starts at most at srcLen - MF_LIMIT (12 bytes before the end);
//   - a match ends at most at srcLen - LAST_LITERALS, so the last 5 bytes are literals
//     and the block ends with a literal-only sequence.

export const MIN_MATCH: usize = 4;
export const LAST_LITERALS: usize = 5;
export const MF_LIMIT: usize = 12;
export const MIN_INPUT: i32 = 13;
export const MAX_OFFSET: u32 = 65535;

// Number of equal bytes at p and q, counting no further than `limit` (p < limit, q < p).
// Compares 8 bytes at a time; the last load may read up to 7 bytes past `limit`, which the
// callers keep inside the input (+32 bytes of slack) since limit = end - LAST_LITERALS.
// @ts-ignore: decorator
@inline export function countEqual(p: usize, q: usize, limit: usize): usize {
  const start = p;
  while (p < limit) {
    const diff = load<u64>(p) ^ load<u64>(q);
    if (diff != 0) {
      p += <usize>(ctz(diff) >> 3);
      return (p < limit ? p : limit) - start;
    }
    p += 8;
    q += 8;
  }
  return limit - start;
}

// Writes the variable-length tail of a length field (value >= 15 already in the token):
// n - 15 as a run of 255s and a final byte < 255.
// @ts-ignore: decorator
@inline function writeLength(op: usize, n: usize): usize {
  let rest = n - 15;
  if (rest >= 255) {
    const k = rest / 255;
    memory.fill(op, 255, k);
    op += k;
    rest -= k * 255;
  }
  store<u8>(op, <u8>rest);
  return op + 1;
}

// Copies n literal bytes with 16-byte vectors (overshooting by up to 15 bytes, which the
// output slack allows; the caller has checked that op + n stays inside the capacity).
// @ts-ignore: decorator
@inline function copyLiterals(op: usize, s: usize, n: usize): void {
  if (n > 64) {
    memory.copy(op, s, n);
    return;
  }
  const e = op + n;
  do {
    v128.store(op, v128.load(s));
    op += 16;
    s += 16;
  } while (op < e);
}

/**
 * Writes one sequence: `lit` literals from `anchor`, then a match of `len` (>= 4) bytes at
 * distance `offset`. Returns the new output position, or 0 when it may not fit before `oend`.
 * The size estimate can exceed the real size by 2 bytes, which never rejects a block that
 * fits: a block always continues with at least 6 more bytes (token + 5 last literals).
 */
export function writeSequence(op: usize, oend: usize, anchor: usize, lit: usize, offset: usize, len: usize): usize {
  if (op + lit + lit / 255 + len / 255 + 5 > oend) return 0;
  const token = op++;
  let t: u32;
  if (lit >= 15) {
    t = 15 << 4;
    op = writeLength(op, lit);
  } else {
    t = <u32>lit << 4;
  }
  copyLiterals(op, anchor, lit);
  op += lit;
  store<u16>(op, <u16>offset);
  op += 2;
  const m = len - MIN_MATCH;
  if (m >= 15) {
    t |= 15;
    op = writeLength(op, m);
  } else {
    t |= <u32>m;
  }
  store<u8>(token, <u8>t);
  return op;
}

/** Writes the final literal-only sequence; returns the end of the block, or 0 if it does not fit. */
export function writeLastLiterals(op: usize, oend: usize, anchor: usize, lit: usize): usize {
  const extra: usize = lit >= 15 ? (lit - 15) / 255 + 1 : 0;
  if (lit + extra + 1 > oend - op) return 0; // exact: this is the end of the block
  if (lit >= 15) {
    store<u8>(op, 15 << 4);
    op = writeLength(op + 1, lit);
  } else {
    store<u8>(op++, <u8>(lit << 4));
  }
  // Exact copy: the block must not scribble past its own end more than the slack allows,
  // and the callers' oend may be the true end of the buffer.
  memory.copy(op, anchor, lit);
  return op + lit;
}
