import type { ChildProcess } from "node:child_process";

/** A running child with its stdout lines. */
export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first stdout line matching `re` (or rejects when the child exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the child has exited (stdout fully read). */
  exited: Promise<void>;
  stderr(): string;
}

/** Spawns `node <file> ...args` with piped stdout and stderr. */
export function spawnChild(file: string, args: string[]): Child;
