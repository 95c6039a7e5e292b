// Bounded concurrency for the chunk reads of one range read.

/** Runs `tasks` with at most `width` at a time; the first failure rejects (after the others settle). */
export async function runWindowed(tasks: readonly (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length && failure === undefined) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
