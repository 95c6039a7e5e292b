/**
 * Shared fixtures of the ZipStore tests: an archive with three commits, and readers of its state.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ZipStore } from "../../src/store/zip-store.js";
import { bytesOf } from "./helpers.js";

const enc = new TextEncoder();

/** Every key and value (as latin1) of the archive, as a fresh reader sees it. */
export async function contents(file: string): Promise<Record<string, string>> {
  const store = await ZipStore.open(file);
  try {
    const out: Record<string, string> = {};
    for (const k of await store.list()) out[k] = Buffer.from((await store.get(k)) as Uint8Array).toString("latin1");
    return out;
  } finally {
    await store.close();
  }
}

/**
 * Writes an archive with three commits (the empty one at creation and two more) and returns it
 * with each commit's committed length and contents.
 */
export async function threeCommits(
  next: (suffix: string) => string,
): Promise<{ file: string; ends: number[]; states: Record<string, string>[] }> {
  const file = next(".zip");
  const store = await ZipStore.open(file, { mode: "w" });
  const ends = [store.committedLength];
  const states: Record<string, string>[] = [{}];
  await store.set("meta/sizes", enc.encode("one"));
  await store.set("data/__0.blp", bytesOf(300, 1));
  await store.commit();
  ends.push(store.committedLength);
  states.push(await contentsOf(store));
  await store.set("meta/sizes", enc.encode("two"));
  await store.set("data/__1.blp", bytesOf(200, 2));
  await store.delete("data/__0.blp");
  await store.commit();
  ends.push(store.committedLength);
  states.push(await contentsOf(store));
  await store.close();
  return { file, ends, states };
}

/** Every key and value (as latin1) that `store` shows. */
export async function contentsOf(store: ZipStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of await store.list()) out[k] = Buffer.from((await store.get(k)) as Uint8Array).toString("latin1");
  return out;
}

/** A copy of the first `length` bytes of `file`, at `out`. */
export function copyPrefix(file: string, length: number, out: string): string {
  writeFileSync(out, readFileSync(file).subarray(0, length));
  return out;
}
