import { ColzError } from "../errors.js";
import type { LockOptions, WriterLock } from "./types.js";

const POLL_MS = 10;

/**
 * The single-writer lock of one store object inside one process: `Store.lock()` grants it to
 * one holder at a time. MemoryStore uses only this; DirectoryStore and ZipStore use it on top of
 * the lock file they hold from a writable open to close (see lock.ts), so that two parts of one
 * program sharing a store object also serialise their writes. Platform-neutral.
 *
 * @example
 * const lock = new InProcessLock("memory"); const held = await lock.acquire(); await held.release();
 */
export class InProcessLock {
  private holder: object | undefined;

  constructor(private readonly description: string) {}

  /** True while some holder has the lock. @example if (lock.held) ... */
  get held(): boolean {
    return this.holder !== undefined;
  }

  /**
   * Takes the lock, retrying for `waitMs` (default 0) while another holder has it, then throws ERR_LOCKED.
   *
   * @example
   * const held = await lock.acquire({ waitMs: 1000 });
   */
  async acquire(options: LockOptions = {}): Promise<WriterLock> {
    const deadline = Date.now() + Math.max(0, options.waitMs ?? 0);
    while (this.holder !== undefined) {
      if (Date.now() >= deadline) {
        throw new ColzError(
          "ERR_LOCKED",
          `store ${this.description} is locked by another writer in this process (pid ${currentPid()})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const token = {};
    this.holder = token;
    return {
      release: async () => {
        if (this.holder === token) this.holder = undefined;
      },
    };
  }

  /** Drops the lock whoever holds it (used by close()). @example lock.reset() */
  reset(): void {
    this.holder = undefined;
  }
}

// `process` does not exist in browsers; the pid is only a hint in the message.
function currentPid(): number | string {
  const p = (globalThis as { process?: { pid?: number } }).process;
  return p?.pid ?? "n/a";
}
