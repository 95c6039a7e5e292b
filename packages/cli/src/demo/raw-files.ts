import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KeyColumns } from "./workload.js";

// The baseline: one plain uncompressed file per key (numpy's `savez` in the original
// experiment): a 16-byte header ("CZKS", version, rows) and the two columns' bytes, so reading
// is one readFile and two typed-array views.

const MAGIC = 0x534b5a43;
const HEADER = 16;

/** The file of `key` under `dir`. */
export function rawPath(dir: string, key: string): string {
  return join(dir, `${key}.raw`);
}

/** Writes a key's columns as one raw file. */
export async function writeRaw(dir: string, key: string, cols: KeyColumns): Promise<void> {
  const header = new DataView(new ArrayBuffer(HEADER));
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, 1, true);
  header.setBigUint64(8, BigInt(cols.i.length), true);
  const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await writeFile(rawPath(dir, key), Buffer.concat([bytes(header), bytes(cols.i), bytes(cols.f)]));
}

/** Reads a key's columns back from its raw file. */
export async function readRaw(dir: string, key: string): Promise<KeyColumns> {
  const buf = await readFile(rawPath(dir, key));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error(`${rawPath(dir, key)}: not a raw demo file`);
  const rows = Number(view.getBigUint64(8, true));
  // Node's file buffers may come from a pool at any offset: copy into an aligned buffer if needed.
  const aligned = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf);
  const base = aligned.byteOffset + HEADER;
  return {
    i: new BigInt64Array(aligned.buffer, base, rows),
    f: new Float64Array(aligned.buffer, base + rows * 8, rows),
  };
}
