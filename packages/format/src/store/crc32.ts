/**
 * CRC-32 (IEEE 802.3, the ZIP checksum) in plain JavaScript, for platforms without node:zlib's
 * native `crc32`. Slicing-by-4 tables keep it at a few hundred MB/s, far above network speed.
 */
const [T0, T1, T2, T3] = (() => {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  const tables = [t0];
  for (let t = 1; t < 4; t++) {
    const prev = tables[t - 1];
    const next = new Uint32Array(256);
    for (let n = 0; n < 256; n++) next[n] = t0[prev[n] & 0xff] ^ (prev[n] >>> 8);
    tables.push(next);
  }
  return tables;
})();

type Crc32Fn = (data: Uint8Array, value?: number) => number;

// node:zlib's crc32 runs at several GB/s, 7x the table version; chunk checksums are on the read
// path of every scan. `process.getBuiltinModule` reaches it without importing a Node module,
// so this file stays platform-neutral (browsers just use the tables).
const nativeCrc32: Crc32Fn | undefined = (() => {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const zlib = proc?.getBuiltinModule?.("node:zlib") as { crc32?: Crc32Fn } | undefined;
    return typeof zlib?.crc32 === "function" ? zlib.crc32 : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * The CRC-32 of `bytes`, continuing from `initial` (the CRC of the bytes before them).
 *
 * @example
 * crc32(new TextEncoder().encode("123456789")); // 0xcbf43926
 */
export function crc32(bytes: Uint8Array, initial = 0): number {
  return nativeCrc32 !== undefined ? nativeCrc32(bytes, initial) : crc32Portable(bytes, initial);
}

/** The table-driven CRC-32 that `crc32` falls back to where node:zlib is missing. */
export function crc32Portable(bytes: Uint8Array, initial = 0): number {
  let c = ~initial >>> 0;
  let i = 0;
  const n4 = bytes.length - (bytes.length % 4);
  for (; i < n4; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = T3[c & 0xff] ^ T2[(c >>> 8) & 0xff] ^ T1[(c >>> 16) & 0xff] ^ T0[c >>> 24];
  }
  for (; i < bytes.length; i++) c = T0[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
