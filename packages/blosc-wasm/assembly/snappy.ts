// Snappy raw-buffer decoder (Blosc codec format 2; c-blosc writes it with snappy_compress).
//
// Layout: the uncompressed length as a little-endian base-128 varint (at most 5 bytes, < 2^32),
// then elements until the input ends. The low 2 bits of each tag byte t select the element:
//   00 literal: length (t >> 2) + 1 when t >> 2 < 60, else 1..4 little-endian bytes that follow
//      hold length - 1; then the literal bytes;
//   01 copy, length 4 + ((t >> 2) & 7), offset ((t >> 5) << 8) | next byte (11 bits);
//   10 copy, length (t >> 2) + 1, offset = next u16 (LE);
//   11 copy, length (t >> 2) + 1, offset = next u32 (LE).
// A copy reads from `offset` bytes back in the output, forward (it may overlap itself);
// offset 0 is invalid.
//
// Memory contract (assembly/README.md): reads may go 32 bytes past src + srcLen and writes 32
// bytes past dst + dstLen, which lets short literals move as whole 16-byte vectors.

import { copyMatch } from "./blosclz-copy";

const ERR_TRUNCATED: i32 = -1; // the input ends inside an element or the varint
const ERR_OUTPUT_OVERFLOW: i32 = -2; // an element goes past the declared length
const ERR_BAD_OFFSET: i32 = -3; // offset 0, or reaching before the start of the output
const ERR_BAD_ARGS: i32 = -4;
const ERR_BAD_VARINT: i32 = -5; // more than 5 bytes, or a value >= 2^32
const ERR_LENGTH_MISMATCH: i32 = -6; // declared length != dstLen, or output ends short

// Literals up to this size go through 16-byte vectors, longer ones through memory.copy.
const SHORT_LITERAL: usize = 64;

/**
 * Decodes one raw Snappy buffer whose declared length must equal dstLen. Returns dstLen, or
 * a negative code on malformed input; never touches memory outside the contract's windows.
 */
export function snappyDecompress(src: usize, srcLen: i32, dst: usize, dstLen: i32): i32 {
  if (srcLen < 0 || dstLen < 0) return ERR_BAD_ARGS;
  let ip = src;
  const iend = src + <usize>srcLen;

  // Preamble: the varint length.
  let declared: u64 = 0;
  let shift: u64 = 0;
  while (true) {
    if (ip >= iend) return ERR_TRUNCATED;
    const b = <u64>load<u8>(ip++);
    declared |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
    if (shift == 35) return ERR_BAD_VARINT;
  }
  if (declared > 0xffffffff) return ERR_BAD_VARINT;
  if (declared != <u64>dstLen) return ERR_LENGTH_MISMATCH;

  let op = dst;
  const oend = dst + <usize>dstLen;
  while (ip < iend) {
    const tag = <u32>load<u8>(ip++);
    const kind = tag & 3;
    if (kind == 0) {
      let n = <u64>(tag >> 2) + 1;
      if (n > 60) {
        // 61..64 mean 1..4 length bytes follow. A u64 keeps 0xffffffff + 1 exact.
        const k = <usize>(n - 60);
        if (k > iend - ip) return ERR_TRUNCATED;
        let v: u64 = 0;
        for (let i: usize = 0; i < k; i++) v |= <u64>load<u8>(ip + i) << (<u64>(i << 3));
        ip += k;
        n = v + 1;
      }
      if (n > <u64>(iend - ip)) return ERR_TRUNCATED;
      if (n > <u64>(oend - op)) return ERR_OUTPUT_OVERFLOW;
      const len = <usize>n;
      if (len <= SHORT_LITERAL) {
        // Overshoot of at most 15 bytes on both sides, inside the slack.
        let d = op;
        let s = ip;
        const e = op + len;
        do {
          v128.store(d, v128.load(s));
          d += 16;
          s += 16;
        } while (d < e);
      } else {
        memory.copy(op, ip, len); // input and output are distinct regions
      }
      ip += len;
      op += len;
      continue;
    }

    let len: usize;
    let offset: usize;
    if (kind == 1) {
      if (ip >= iend) return ERR_TRUNCATED;
      len = <usize>((tag >> 2) & 7) + 4;
      offset = (<usize>(tag >> 5) << 8) | <usize>load<u8>(ip++);
    } else if (kind == 2) {
      if (iend - ip < 2) return ERR_TRUNCATED;
      len = <usize>(tag >> 2) + 1;
      offset = <usize>load<u16>(ip);
      ip += 2;
    } else {
      if (iend - ip < 4) return ERR_TRUNCATED;
      len = <usize>(tag >> 2) + 1;
      offset = <usize>load<u32>(ip);
      ip += 4;
    }
    if (offset == 0 || offset > op - dst) return ERR_BAD_OFFSET;
    if (len > oend - op) return ERR_OUTPUT_OVERFLOW;
    copyMatch(op, offset, len);
    op += len;
  }
  if (op != oend) return ERR_LENGTH_MISMATCH;
  return <i32>(op - dst);
}
