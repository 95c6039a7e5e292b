// Arrow Float16 columns hold IEEE half-precision bits (apache-arrow uses a Uint16Array). colz
// writes no float16 dtype, so half floats are stored widened to float32; widening is exact and
// keeps NaN payloads, so narrowing the stored values gives back the original bits.

/**
 * Widens half-precision bits to float32, exactly.
 *
 * @example
 * halfToFloat32(new Uint16Array([0x3c00, 0xc000])); // Float32Array [1, -2]
 */
export function halfToFloat32(half: Uint16Array): Float32Array {
  const out = new Float32Array(half.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < half.length; i++) {
    const h = half[i]!;
    const sign = (h & 0x8000) << 16;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0x1f) bits[i] = sign | 0x7f800000 | (mant << 13);
    else if (exp !== 0) bits[i] = sign | ((exp + 112) << 23) | (mant << 13);
    else out[i] = (sign ? -mant : mant) * 2 ** -24; // zero or subnormal, exact in float32
  }
  return out;
}

/**
 * Narrows float32 values to half-precision bits, rounding to nearest even (exact for values
 * that came from halves).
 *
 * @example
 * float32ToHalf(new Float32Array([1, -2])); // Uint16Array [0x3c00, 0xc000]
 */
export function float32ToHalf(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  // Read the bits, not the numbers: a NaN read into a JS number may lose its payload.
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const x = bits[i]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    const mant = x & 0x7fffff;
    if (exp === 0xff) {
      // Infinity, or NaN with its top payload bits (kept non-zero so it stays a NaN).
      out[i] = sign | 0x7c00 | (mant === 0 ? 0 : mant >>> 13 || 0x200);
      continue;
    }
    const e = exp - 112; // half exponent field
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      const m = mant | 0x800000;
      const shift = 14 - e;
      let h = m >>> shift;
      const rest = m & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rest > half || (rest === half && (h & 1) !== 0)) h++;
      out[i] = sign | h;
    } else {
      let h = (e << 10) | (mant >>> 13);
      const rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && (h & 1) !== 0)) h++; // a carry may round up to infinity: correct
      out[i] = sign | h;
    }
  }
  return out;
}
