import type { CliContext } from "./context.js";

/** How long an interrupt waits for the running work to notice the abort before cleaning up anyway. */
const STOP_WAIT_MS = 5000;

/** The handle of work that Ctrl-C may stop; see `interruptible`. */
export interface Interruptible {
  /** Aborted when the process is interrupted; pass it to the work so it stops early. */
  signal: AbortSignal;
  /** Call (in `finally`) when the work has ended: unregisters the interrupt handler. */
  done(): void;
}

/**
 * Makes the coming work interruptible: on SIGINT/SIGTERM the returned signal aborts, the
 * interrupt waits (up to 5 s) for the work to call `done()` — so nothing keeps writing into what
 * `cleanup` removes — and then runs `cleanup` (e.g. removing a half-written output).
 *
 * @example
 * const job = interruptible(ctx, () => rm(tmpPath, { force: true }));
 * try { await write(tmpPath, job.signal); } finally { job.done(); }
 */
export function interruptible(ctx: CliContext, cleanup?: () => Promise<void>): Interruptible {
  const controller = new AbortController();
  let settle!: () => void;
  const settled = new Promise<void>((r) => {
    settle = r;
  });
  const unregister = ctx.onInterrupt(async () => {
    controller.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise<void>((r) => (timer = setTimeout(r, STOP_WAIT_MS)))]);
    clearTimeout(timer);
    await cleanup?.();
  });
  return {
    signal: controller.signal,
    done: () => {
      unregister();
      settle();
    },
  };
}
