import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixturesRoot } from "../../../test-support/fixtures-root.mjs";

/** The shared fixtures (see test-support/fixtures-root.ts). */
export const FIXTURES = fixturesRoot();

export interface ChunkFixture {
  file: string;
  raw: string;
  cname: string;
  clevel: number;
  shuffle: number;
  typesize: number;
  flags: string;
  nbytes: number;
  blocksize: number;
  cbytes: number;
  memcpyed: boolean;
  dont_split_flag: boolean;
  nblocks: number | null;
  forced_blocksize: number | null;
  nthreads: number | null;
  writer: string;
  note: string;
}

export function blosc1Manifest(): ChunkFixture[] {
  const m = JSON.parse(readFileSync(join(FIXTURES, "blosc1", "MANIFEST.json"), "utf8"));
  return m.chunks as ChunkFixture[];
}

export function readFixture(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, ...parts)));
}
