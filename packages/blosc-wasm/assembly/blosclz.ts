// BloscLZ stream decoder (Blosc codec format 0). The encoder is in blosclz-compress.ts.
//
// A stream is a series of instructions, each starting with a control byte c:
//   c < 32   literal run of c + 1 bytes (1..32) that follow;
//   c >= 32  match: L = c >> 5, length L + 2 when L < 7, else 9 + a sum of extension bytes
//            ending at the first byte != 255; then one byte `lo`. If lo == 255 and c & 31 == 31
//            the distance is 8192 + a big-endian u16 that follows (a "far" match), otherwise it
//            is (c & 31) * 256 + lo + 1. The copy goes forward, so it may overlap itself.
// The first control byte carries 0x20 (the FastLZ level-2 marker) and always means a literal
// run: only its low 5 bits count. The stream ends where the input ends.
//
// We are lenient where c-blosc >= 1.19 is strict: a match that is the very last instruction is
// executed, as c-blosc <= 1.18 did, so every stream any c-blosc version wrote decodes.
//
// Memory contract (assembly/README.md): reads may go 32 bytes past src + srcLen and writes 32
// bytes past dst + dstLen, so literal runs are copied as two unconditional 16-byte vectors.

import { copyMatch } from "./blosclz-copy";

export { blosclzCompress } from "./blosclz-compress";

// Negative results, distinct so that a failing test says which rule was broken.
const ERR_TRUNCATED: i32 = -1; // the input ends inside an instruction
const ERR_OUTPUT_OVERFLOW: i32 = -2; // a literal run or a match goes past dstLen
const ERR_BAD_DISTANCE: i32 = -3; // a match reaches before the start of the output
const ERR_BAD_ARGS: i32 = -4;

/**
 * Decodes one BloscLZ stream. Returns the number of bytes produced (the caller requires
 * exactly dstLen) or a negative code; never touches memory outside the contract's windows
 * and consumes at least one input byte per instruction, so it always terminates.
 */
export function blosclzDecompress(src: usize, srcLen: i32, dst: usize, dstLen: i32): i32 {
  if (srcLen < 0 || dstLen < 0) return ERR_BAD_ARGS;
  if (srcLen == 0) return 0; // c-blosc also yields 0 bytes; the caller rejects it if dstLen > 0
  let ip = src;
  const iend = src + <usize>srcLen;
  let op = dst;
  const oend = dst + <usize>dstLen;

  let ctrl = <u32>load<u8>(ip++) & 31;
  while (true) {
    if (ctrl < 32) {
      const n = <usize>ctrl + 1;
      if (n > iend - ip) return ERR_TRUNCATED;
      if (n > oend - op) return ERR_OUTPUT_OVERFLOW;
      // Both vectors are inside the slack: ip + 32 <= iend + 31 and op + 32 <= oend + 31.
      v128.store(op, v128.load(ip));
      v128.store(op, v128.load(ip, 16), 16);
      ip += n;
      op += n;
    } else {
      let len = <usize>(ctrl >> 5) + 2;
      if (len == 9) {
        // Long match: 255 means "add 255 and go on". Bounding the total by the room left in
        // the output also keeps the sum far from overflow on hostile input.
        const room = oend - op;
        let b: u32;
        do {
          if (ip >= iend) return ERR_TRUNCATED;
          b = load<u8>(ip++);
          len += b;
          if (len > room) return ERR_OUTPUT_OVERFLOW;
        } while (b == 255);
      }
      if (ip >= iend) return ERR_TRUNCATED;
      const lo = <u32>load<u8>(ip++);
      const hi = ctrl & 31;
      let dist: usize;
      if (lo == 255 && hi == 31) {
        if (iend - ip < 2) return ERR_TRUNCATED;
        dist = ((<usize>load<u8>(ip) << 8) | <usize>load<u8>(ip, 1)) + 8192;
        ip += 2;
      } else {
        dist = <usize>((hi << 8) | lo) + 1;
      }
      if (dist > op - dst) return ERR_BAD_DISTANCE;
      if (len > oend - op) return ERR_OUTPUT_OVERFLOW;
      copyMatch(op, dist, len);
      op += len;
    }
    if (ip >= iend) break;
    ctrl = load<u8>(ip++);
  }
  return <i32>(op - dst);
}
