// Arrow packs validity and booleans one bit per row, least significant bit first; colz keeps
// one byte per row (validity 1 = valid; bool 0/1). These helpers convert between the two.

/**
 * Packs one byte per row (non-zero = set) into an LSB-first bitmap padded to 8 bytes, and
 * counts the zero rows.
 *
 * @example
 * packBits(new Uint8Array([1, 0, 1])); // { bits: Uint8Array [5, 0, 0, 0, 0, 0, 0, 0], zeros: 1 }
 */
export function packBits(bytes: Uint8Array, length = bytes.length): { bits: Uint8Array; zeros: number } {
  const bits = new Uint8Array(((length + 63) >>> 6) << 3);
  let ones = 0;
  const whole = length & ~7;
  let i = 0;
  for (; i < whole; i += 8) {
    const b =
      (bytes[i] ? 1 : 0) |
      (bytes[i + 1] ? 2 : 0) |
      (bytes[i + 2] ? 4 : 0) |
      (bytes[i + 3] ? 8 : 0) |
      (bytes[i + 4] ? 16 : 0) |
      (bytes[i + 5] ? 32 : 0) |
      (bytes[i + 6] ? 64 : 0) |
      (bytes[i + 7] ? 128 : 0);
    bits[i >>> 3] = b;
    ones += POPCOUNT[b]!;
  }
  for (; i < length; i++) {
    if (bytes[i]) {
      bits[i >>> 3]! |= 1 << (i & 7);
      ones++;
    }
  }
  return { bits, zeros: length - ones };
}

/**
 * Unpacks `length` bits starting at bit `offset` into one byte (0/1) per row.
 *
 * @example
 * unpackBits(new Uint8Array([0b110]), 1, 2); // Uint8Array [1, 1]
 */
export function unpackBits(bits: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let i = 0;
  // Byte-aligned runs go 8 rows at a time.
  if ((offset & 7) === 0) {
    const base = offset >>> 3;
    const whole = length & ~7;
    for (; i < whole; i += 8) {
      const b = bits[base + (i >>> 3)]!;
      out[i] = b & 1;
      out[i + 1] = (b >>> 1) & 1;
      out[i + 2] = (b >>> 2) & 1;
      out[i + 3] = (b >>> 3) & 1;
      out[i + 4] = (b >>> 4) & 1;
      out[i + 5] = (b >>> 5) & 1;
      out[i + 6] = (b >>> 6) & 1;
      out[i + 7] = (b >>> 7) & 1;
    }
  }
  for (; i < length; i++) {
    const k = offset + i;
    out[i] = (bits[k >>> 3]! >>> (k & 7)) & 1;
  }
  return out;
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >>> 1]!;
