// Self-checking values for the crash and concurrency tests: generation g determines the length
// and every element, so a reader can tell a complete value from a torn or mixed one.

/** Rows of generation g: mostly small, every 5th one spans several chunks. */
export function rowsOf(g) {
  return g % 5 === 4 ? 70_000 + (g % 7) * 1000 : 1 + ((g * 7919) % 3000);
}

/** The columns of generation g: gen = g everywhere, x[i] = g + i. */
export function makeValue(g) {
  const n = rowsOf(g);
  const gen = new BigInt64Array(n).fill(BigInt(g));
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = g + i;
  return { gen, x };
}

/** The generation a value holds, or throws describing what is wrong with it. */
export function checkValue(cols) {
  const { gen, x } = cols;
  if (!(gen instanceof BigInt64Array) || !(x instanceof Float64Array)) throw new Error("bad column types");
  if (gen.length === 0) throw new Error("empty value");
  const g = Number(gen[0]);
  if (gen.length !== rowsOf(g) || x.length !== gen.length) {
    throw new Error(`generation ${g}: ${gen.length}/${x.length} rows, expected ${rowsOf(g)}`);
  }
  for (let i = 0; i < gen.length; i++) {
    if (gen[i] !== BigInt(g) || x[i] !== g + i) throw new Error(`generation ${g}: row ${i} is mixed`);
  }
  return g;
}
