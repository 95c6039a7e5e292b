import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KeyStore } from "../src/node.js";
import { allKeys, BACKINGS, newPlace, openAt, type Place, readGen, smallValue } from "./helpers.js";

// Model-based test: random command sequences run against a KeyStore and a Map; after every
// command the store must agree with the map. Reopen checks persistence.

interface Real {
  place: Place;
  ks: KeyStore;
}
type Model = Map<string, number>;

const KEYS = ["a", "A", "Ab", "aB", "../x", "a/b", "a\\b", "a\0b", "CON", "nul.txt", "😀", "é", "x".repeat(300)];
const key = fc.constantFrom(...KEYS);

class SetCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly key: string,
    readonly g: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    await r.ks.set(this.key, smallValue(this.g));
    m.set(this.key, this.g);
    expect(await readGen(r.ks, this.key)).toBe(this.g);
  }
  toString = () => `set(${JSON.stringify(this.key)}, ${this.g})`;
}

class GetCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: string) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    expect(await readGen(r.ks, this.key)).toBe(m.get(this.key));
    expect(await r.ks.has(this.key)).toBe(m.has(this.key));
    const table = await r.ks.get(this.key);
    expect(table?.length).toBe(m.has(this.key) ? smallValue(m.get(this.key) as number).g.length : undefined);
    await table?.close();
  }
  toString = () => `get(${JSON.stringify(this.key)})`;
}

class DeleteCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: string) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    expect(await r.ks.delete(this.key)).toBe(m.delete(this.key));
    expect(await r.ks.has(this.key)).toBe(false);
  }
  toString = () => `delete(${JSON.stringify(this.key)})`;
}

class RenameCmd implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    if (!m.has(this.from)) {
      await expect(r.ks.rename(this.from, this.to)).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
      return;
    }
    await r.ks.rename(this.from, this.to);
    const g = m.get(this.from) as number;
    m.delete(this.from);
    m.set(this.to, g);
    expect(await readGen(r.ks, this.to)).toBe(g);
  }
  toString = () => `rename(${JSON.stringify(this.from)}, ${JSON.stringify(this.to)})`;
}

class KeysCmd implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    expect(await allKeys(r.ks)).toEqual([...m.keys()].sort());
    expect(await r.ks.size()).toBe(m.size);
  }
  toString = () => "keys()";
}

class ReopenCmd implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    await r.ks.close();
    r.ks = await openAt(r.place, { mode: "a" });
    expect(await allKeys(r.ks)).toEqual([...m.keys()].sort());
  }
  toString = () => "reopen()";
}

const commands = [
  fc.tuple(key, fc.nat(1000)).map(([k, g]) => new SetCmd(k, g)),
  key.map((k) => new GetCmd(k)),
  key.map((k) => new DeleteCmd(k)),
  fc.tuple(key, key).map(([a, b]) => new RenameCmd(a, b)),
  fc.constant(new KeysCmd()),
  fc.constant(new ReopenCmd()),
];

describe.each(BACKINGS)("KeyStore behaves like a Map (%s)", (backing) => {
  it("agrees with the model on random command sequences", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        const place = newPlace(backing);
        const real: Real = { place, ks: await openAt(place, { mode: "a" }) };
        try {
          await fc.asyncModelRun(() => ({ model: new Map(), real }), cmds);
        } finally {
          await real.ks.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
