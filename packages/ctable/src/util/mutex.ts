/**
 * Runs async operations one at a time, in call order: the appenders and the chunk mirror of a
 * writer are not safe against interleaved appends, flushes and truncations.
 *
 * @example
 * const m = new Mutex(); await m.run(() => doWrite());
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every earlier `run` settled; resolves or rejects with its result. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
