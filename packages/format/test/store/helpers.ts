import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * A fresh temp directory removed after the test file; `next()` hands out unique paths inside it.
 *
 * @example
 * const tmp = tempArea("zip"); const file = tmp.next(".zip");
 */
export function tempArea(label: string): { dir: string; next(suffix?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), `colz-${label}-`));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, next: (suffix = "") => join(dir, `s${n++}${suffix}`) };
}
