import { ColzError } from "../errors.js";

// Fixed-width NumPy strings: "|S<n>" holds n bytes, "<U<n>" n UCS-4 code units; both are padded
// with NULs, and NumPy strips trailing NULs when it hands a value out, so we do the same.

function checkWidth(bytes: Uint8Array, itemsize: number, what: string): void {
  if (!Number.isSafeInteger(itemsize) || itemsize < 1 || bytes.length % itemsize !== 0) {
    throw new ColzError(
      "ERR_BAD_ARGUMENT",
      `${bytes.length} bytes is not a whole number of ${itemsize}-byte ${what} items`,
    );
  }
}

/**
 * Splits "|S<n>" data into one byte view per element, trailing NULs removed (views share memory).
 *
 * @example
 * decodeFixedBytes(new Uint8Array([97, 98, 0, 99, 0, 0]), 3); // [Uint8Array [97, 98], Uint8Array [99]]
 */
export function decodeFixedBytes(bytes: Uint8Array, itemsize: number): Uint8Array[] {
  checkWidth(bytes, itemsize, "S");
  const out: Uint8Array[] = new Array(bytes.length / itemsize);
  for (let i = 0, at = 0; at < bytes.length; i++, at += itemsize) {
    let end = at + itemsize;
    while (end > at && bytes[end - 1] === 0) end--;
    out[i] = bytes.subarray(at, end);
  }
  return out;
}

/**
 * Decodes "|S<n>" data to strings (trailing NULs removed). bcolz/NumPy bytes carry no encoding;
 * the default "utf-8" replaces invalid sequences with U+FFFD, "latin1" maps bytes 1:1.
 *
 * @example
 * decodeFixedBytesAsText(new Uint8Array([97, 98, 0]), 3); // ["ab"]
 */
export function decodeFixedBytesAsText(bytes: Uint8Array, itemsize: number, encoding = "utf-8"): string[] {
  const decoder = new TextDecoder(encoding);
  return decodeFixedBytes(bytes, itemsize).map((b) => decoder.decode(b));
}

/**
 * Decodes "<U<n>" (or ">U<n>") data: `itemsize` bytes (4 per code point) per element, trailing
 * NUL code points removed. Code points that are not valid Unicode scalar values become U+FFFD.
 *
 * @example
 * decodeUcs4(new Uint8Array([0x75, 0, 0, 0, 0, 0, 0, 0]), 8); // ["u"]
 */
export function decodeUcs4(bytes: Uint8Array, itemsize: number, byteOrder: "<" | ">" = "<"): string[] {
  checkWidth(bytes, itemsize, "U");
  if (itemsize % 4 !== 0)
    throw new ColzError("ERR_BAD_ARGUMENT", `a U itemsize must be a multiple of 4, got ${itemsize}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = byteOrder !== ">";
  const n = bytes.length / itemsize;
  const out: string[] = new Array(n);
  const units: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = i * itemsize;
    let end = itemsize / 4;
    while (end > 0 && view.getUint32(at + (end - 1) * 4, little) === 0) end--;
    units.length = 0;
    for (let k = 0; k < end; k++) {
      const cp = view.getUint32(at + k * 4, little);
      units.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    }
    out[i] = fromCodePoints(units);
  }
  return out;
}

// Spreading a huge array into fromCodePoint overflows the stack; build long strings in slices.
function fromCodePoints(units: number[]): string {
  if (units.length <= 4096) return String.fromCodePoint(...units);
  let s = "";
  for (let i = 0; i < units.length; i += 4096) s += String.fromCodePoint(...units.slice(i, i + 4096));
  return s;
}

/**
 * Encodes values as "|S<itemsize>" data, NUL-padded. Strings are UTF-8 encoded. A value longer
 * than `itemsize` bytes throws ERR_BAD_ARGUMENT (NumPy would silently truncate it).
 *
 * @example
 * encodeFixedBytes(["ab", new Uint8Array([99])], 3); // 61 62 00 63 00 00
 */
export function encodeFixedBytes(values: readonly (string | Uint8Array)[], itemsize: number): Uint8Array {
  const encoder = new TextEncoder();
  const out = new Uint8Array(values.length * itemsize);
  values.forEach((v, i) => {
    const b = typeof v === "string" ? encoder.encode(v) : v;
    if (b.length > itemsize) {
      throw new ColzError("ERR_BAD_ARGUMENT", `value ${i} is ${b.length} bytes, longer than the S${itemsize} item`);
    }
    out.set(b, i * itemsize);
  });
  return out;
}

/**
 * Encodes strings as UCS-4 "<U<n>" data (`itemsize` = 4·n bytes per element), NUL-padded. A
 * string with more than n code points throws ERR_BAD_ARGUMENT.
 *
 * @example
 * encodeUcs4(["u"], 8); // 75 00 00 00 00 00 00 00
 */
export function encodeUcs4(values: readonly string[], itemsize: number, byteOrder: "<" | ">" = "<"): Uint8Array {
  if (!Number.isSafeInteger(itemsize) || itemsize < 4 || itemsize % 4 !== 0) {
    throw new ColzError("ERR_BAD_ARGUMENT", `a U itemsize must be a positive multiple of 4, got ${itemsize}`);
  }
  const out = new Uint8Array(values.length * itemsize);
  const view = new DataView(out.buffer);
  const little = byteOrder !== ">";
  values.forEach((s, i) => {
    let k = 0;
    for (const ch of s) {
      if (k * 4 >= itemsize) {
        throw new ColzError(
          "ERR_BAD_ARGUMENT",
          `value ${i} has more than ${itemsize / 4} code points (U${itemsize / 4})`,
        );
      }
      view.setUint32(i * itemsize + k * 4, ch.codePointAt(0)!, little);
      k++;
    }
  });
  return out;
}
