/** One thing wrong with a container, about one file (store-relative key or path). */
export interface Problem {
  /** The file the problem is about, relative to the verified path ("price/data/__3.blp"). */
  file: string;
  /** The key-store key whose value holds the file (key stores only). */
  key?: string;
  message: string;
}

/** Gathers problems (all of them, not only the first) and counts what was checked. */
export class Report {
  readonly problems: Problem[] = [];
  carrays = 0;
  chunks = 0;
  keys = 0;

  /** Files are prefixed with `base` (e.g. a key's zip file) and tagged with `key`. */
  constructor(
    private readonly base = "",
    private readonly key?: string,
    private readonly parent?: Report,
  ) {}

  /** A report whose problems land in this one, with file names under `base`. */
  child(base: string, key?: string): Report {
    return new Report(base, key, this);
  }

  add(file: string, message: string): void {
    const problem: Problem = { file: this.base + file, message };
    if (this.key !== undefined) problem.key = this.key;
    (this.parent ?? this).push(problem);
  }

  countCArray(): void {
    (this.parent ?? this).carrays++;
  }

  countChunk(): void {
    (this.parent ?? this).chunks++;
  }

  private push(p: Problem): void {
    if (this.parent !== undefined) this.parent.push(p);
    else this.problems.push(p);
  }
}

// A library message usually names the key it is about; pick it out so the problem names the file.
const KEY_IN_MESSAGE = /[^\s:"']*(?:meta\/(?:sizes|storage|colz)|__attrs__|__rootdirs__|data\/__\d+\.(?:blp|colz))/;

/**
 * The file a library error is about: the store key its message names, else `fallback`; the
 * message loses the "chunk file <key>: " lead it would repeat.
 *
 * @example
 * fileOf(new Error("price/meta/sizes: bad shape"), "price/"); // { file: "price/meta/sizes", message: "price/meta/sizes: bad shape" }
 */
export function fileOf(error: unknown, fallback: string, prefix = ""): { file: string; message: string } {
  // "chunk file <key>: " would repeat the file the problem is listed under.
  const message = (error instanceof Error ? error.message : String(error)).replace(/^chunk file \S+: /, "");
  const m = KEY_IN_MESSAGE.exec(message);
  let file = fallback;
  if (m !== null) {
    // Messages may name the key with the store's description in front ("/x/t.zip:price/meta/sizes").
    const key = m[0].replace(/^.*?:(?=[^:]*$)/, "");
    file = key.startsWith(prefix) ? key : prefix + key;
  }
  return { file, message };
}
