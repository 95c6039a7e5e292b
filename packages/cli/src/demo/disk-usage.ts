import { lstat, opendir } from "node:fs/promises";
import { join } from "node:path";

/** What a directory tree takes: allocated bytes (like du), apparent file bytes, files. */
export interface DiskUsage {
  bytes: number;
  fileBytes: number;
  files: number;
}

/** Walks `root` (no symlinks followed) and sums what it takes on disk. */
export async function diskUsage(root: string): Promise<DiskUsage> {
  const usage: DiskUsage = { bytes: 0, fileBytes: 0, files: 0 };
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    usage.bytes += (await lstat(dir)).blocks * 512;
    for await (const entry of await opendir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        stack.push(path);
        continue;
      }
      const s = await lstat(path);
      usage.bytes += s.blocks * 512;
      if (s.isFile()) {
        usage.files++;
        usage.fileBytes += s.size;
      }
    }
  }
  return usage;
}
