import { utimesSync, writeFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { DirectoryStore } from "../../src/store/directory-store.js";
import { FileLock, isPidAlive, readLockHolder } from "../../src/store/lock.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { startChild } from "./child.js";
import { expectCode, tempArea } from "./helpers.js";

const tmp = tempArea("lock");

const kinds = [
  { kind: "dir" as const, path: () => tmp.next(), lockFile: (p: string) => `${p}/.colz-lock` },
  { kind: "zip" as const, path: () => tmp.next(".zip"), lockFile: (p: string) => `${p}.lock` },
];

function openWriter(kind: "dir" | "zip", path: string, waitMs?: number) {
  return kind === "zip" ? ZipStore.open(path, { mode: "a", waitMs }) : DirectoryStore.open(path, { mode: "a", waitMs });
}
function openReader(kind: "dir" | "zip", path: string) {
  return kind === "zip" ? ZipStore.open(path) : DirectoryStore.open(path);
}

describe.each(kinds)("writer lock of the $kind store", ({ kind, path: newPath, lockFile }) => {
  it("a second writer in another process gets ERR_LOCKED with the holder's pid; readers are not blocked", async () => {
    const path = newPath();
    const child = startChild("lock-holder.mjs", [inject("colzStoresBundle"), kind, path]);
    try {
      await child.waitFor(/^locked$/);
      const pid = child.proc.pid as number;
      await expectCode(openWriter(kind, path), "ERR_LOCKED", `pid ${pid}`);
      expect((await readLockHolder(lockFile(path)))?.pid).toBe(pid);
      const reader = await openReader(kind, path);
      expect(await reader.list()).toEqual([]);
      await reader.close();
    } finally {
      child.proc.kill("SIGKILL");
      await child.exited;
    }
  });

  it("a lock left by a SIGKILLed writer is recovered", async () => {
    const path = newPath();
    const child = startChild("lock-holder.mjs", [inject("colzStoresBundle"), kind, path]);
    await child.waitFor(/^locked$/);
    child.proc.kill("SIGKILL");
    await child.exited;
    expect((await readLockHolder(lockFile(path)))?.pid).toBe(child.proc.pid); // still on disk
    const writer = await openWriter(kind, path);
    expect((await readLockHolder(lockFile(path)))?.pid).toBe(process.pid);
    await writer.set("k", new Uint8Array([1]));
    await writer.commit();
    await writer.close();
    expect(await readLockHolder(lockFile(path))).toBeUndefined();
  });

  it("waitMs waits for a live writer to release", async () => {
    const path = newPath();
    const child = startChild("lock-holder.mjs", [inject("colzStoresBundle"), kind, path, "300"]);
    await child.waitFor(/^locked$/);
    const started = Date.now();
    const writer = await openWriter(kind, path, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await writer.close();
    await child.exited;
    expect(child.lines).toContain("released");
  });

  it("a second writer in the same process gets ERR_LOCKED; close releases", async () => {
    const path = newPath();
    const first = await openWriter(kind, path);
    await expectCode(openWriter(kind, path), "ERR_LOCKED", `pid ${process.pid}`);
    await first.close();
    await (await openWriter(kind, path)).close();
  });
});

describe("FileLock", () => {
  it("never takes over a lock held on another host", async () => {
    const file = `${tmp.next()}.lock`;
    const holder = { pid: 1, hostname: "elsewhere.example", started: new Date(0).toISOString(), nonce: "x" };
    writeFileSync(file, JSON.stringify(holder));
    await expectCode(FileLock.acquire(file), "ERR_LOCKED", "host elsewhere.example");
  });

  it("takes over an unreadable lock file only once it is old", async () => {
    const file = `${tmp.next()}.lock`;
    writeFileSync(file, "{garbage");
    await expectCode(FileLock.acquire(file), "ERR_LOCKED", "still writing");
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const lock = await FileLock.acquire(file);
    expect((await readLockHolder(file))?.pid).toBe(process.pid);
    await lock.release();
    await lock.release(); // idempotent
  });

  it("takes over a lock of our own pid that this process does not hold (pid reused after a restart)", async () => {
    const file = `${tmp.next()}.lock`;
    const { hostname } = await import("node:os");
    writeFileSync(file, JSON.stringify({ pid: process.pid, hostname: hostname(), started: "earlier", nonce: "old" }));
    const lock = await FileLock.acquire(file);
    await expectCode(FileLock.acquire(file), "ERR_LOCKED");
    await lock.release();
  });

  it("release() leaves a lock that is no longer ours alone", async () => {
    const file = `${tmp.next()}.lock`;
    const lock = await FileLock.acquire(file);
    writeFileSync(file, JSON.stringify({ pid: 1, hostname: "other", started: "now", nonce: "theirs" }));
    await lock.release();
    expect((await readLockHolder(file))?.hostname).toBe("other");
  });

  it("isPidAlive", () => {
    expect(isPidAlive(process.pid)).toBe(true);
    expect(isPidAlive(0)).toBe(false);
    expect(isPidAlive(-1)).toBe(false);
    expect(isPidAlive(2 ** 22 + 12345)).toBe(false);
  });
});
