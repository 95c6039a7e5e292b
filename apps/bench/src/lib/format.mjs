// Parsing and formatting of sizes and numbers shared by every benchmark.

/**
 * "256k" -> 262144, "8m" -> 8388608, "4096" -> 4096 (binary units, case-insensitive, optional "b").
 * @param {string} s
 */
export function parseSize(s) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(s);
  if (!m) throw new Error(`cannot parse size "${s}" (use e.g. 256k, 8m)`);
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()] ?? 1;
  const n = Math.round(Number(m[1]) * mult);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`size "${s}" is out of range`);
  return n;
}

/** 262144 -> "256 KB", 8388608 -> "8 MB" (binary units). @param {number} n */
export function sizeLabel(n) {
  if (n >= 1024 ** 2 && n % 1024 ** 2 === 0) return `${n / 1024 ** 2} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} B`;
}

/** Comma list -> trimmed non-empty items. @param {string} s */
export function parseList(s) {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}

/** MB/s with no decimals above 100, one below. @param {number | undefined} x */
export function fmtSpeed(x) {
  if (x === undefined || !Number.isFinite(x)) return "-";
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** Compression ratio, two decimals. @param {number | undefined} x */
export function fmtRatio(x) {
  if (x === undefined || !Number.isFinite(x)) return "-";
  return x >= 1000 ? x.toFixed(0) : x >= 100 ? x.toFixed(1) : x.toFixed(2);
}

/** Speed-up factor, "1.23x". @param {number | undefined} x */
export function fmtFactor(x) {
  if (x === undefined || !Number.isFinite(x)) return "-";
  return `${x >= 100 ? x.toFixed(0) : x.toFixed(2)}x`;
}

/** Short single-line error text for a table cell. @param {string} msg @param {number} [max] */
export function errorCell(msg, max = 28) {
  const one = String(msg).replace(/\s+/g, " ").trim();
  return `error: ${one.length > max ? `${one.slice(0, max - 1)}…` : one}`;
}
