/**
 * The model-based part of the conformance suite: random sequences of set/delete/commit/reopen
 * against a store and against a Map model, compared after every step.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { Store } from "../../src/store/types.js";
import type { ConformanceTarget } from "./conformance.js";
import { expectBytes } from "./helpers.js";

/**
 * Runs `runs` random command sequences on fresh stores from `create`.
 *
 * @example
 * await checkModel(() => new MemoryStore(), undefined, 100);
 */
export async function checkModel(
  create: () => Promise<Store>,
  persistence: ConformanceTarget["persistence"],
  runs: number,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(commandsArbitrary(persistence !== undefined), async (cmds) => {
      const real: Real = { store: await create() };
      const model: Model = { current: new Map(), committed: new Map(), persistence };
      try {
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      } finally {
        await real.store.close();
      }
    }),
    { numRuns: runs },
  );
}

/** Keys where none is a path prefix of another (a directory store cannot hold "a" and "a/b"). */
const MODEL_KEYS = ["a", "b/c", "b/d", "dir/sub/é", "z/😀"];

interface Model {
  current: Map<string, Uint8Array>;
  committed: Map<string, Uint8Array>;
  persistence: ConformanceTarget["persistence"];
}
interface Real {
  store: Store;
}

async function checkAgainstModel(model: Model, real: Real): Promise<void> {
  for (const key of MODEL_KEYS) {
    const want = model.current.get(key);
    const got = await real.store.get(key);
    if (want === undefined) expect(got, key).toBeUndefined();
    else expectBytes(got, want, key);
  }
  expect(await real.store.list()).toEqual(sorted(model.current.keys()));
}

class SetCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly value: Uint8Array,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.current.set(this.key, this.value);
    await r.store.set(this.key, this.value);
    await checkAgainstModel(m, r);
  }
  toString = () => `set(${this.key}, ${this.value.length}B)`;
}

class DeleteCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: string) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.current.delete(this.key);
    await r.store.delete(this.key);
    await checkAgainstModel(m, r);
  }
  toString = () => `delete(${this.key})`;
}

class CommitCmd implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    m.committed = new Map(m.current);
    await r.store.commit();
    await checkAgainstModel(m, r);
  }
  toString = () => "commit()";
}

class ReopenCmd implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.persistence !== undefined;
  async run(m: Model, r: Real): Promise<void> {
    const p = m.persistence as NonNullable<ConformanceTarget["persistence"]>;
    if (p.afterReopen === "last-commit") m.current = new Map(m.committed);
    else m.committed = new Map(m.current);
    r.store = await p.reopen(r.store, "a");
    await checkAgainstModel(m, r);
  }
  toString = () => "reopen()";
}

function commandsArbitrary(withReopen: boolean) {
  const key = fc.constantFrom(...MODEL_KEYS);
  const cmds: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] = [
    fc.tuple(key, fc.uint8Array({ maxLength: 48 })).map(([k, v]) => new SetCmd(k, v)),
    key.map((k) => new DeleteCmd(k)),
    fc.constant(new CommitCmd()),
  ];
  if (withReopen) cmds.push(fc.constant(new ReopenCmd()));
  return fc.commands(cmds, { maxCommands: 25 });
}

function sorted(keys: Iterable<string>): string[] {
  return [...keys].sort();
}
