import { type ColumnInput, type ColumnSpec, CTable } from "@colz/ctable";
import type { Store } from "@colz/format";
import { CliError, usageError } from "../errors.js";
import { throwIfInterrupted } from "./atomic.js";
import { ColumnBuilder, Misfit, type ValueSource } from "./column-builder.js";
import type { TypeGuess } from "./infer.js";
import type { ImportOptions } from "./options.js";
import { describeImportType, type ImportType } from "./schema-option.js";

/** Rows appended per batch: big enough to amortise the append, small enough to bound memory. */
const BATCH_ROWS = 65_536;

/** A column of a text import: its type and whether the type came from --schema. */
export interface ImportColumn {
  name: string;
  type: ImportType;
  fromSchema: boolean;
}

/**
 * The column types of a text import: --schema entries (nullable also when the sample held a
 * null), the inferred type for the rest. `allowNew` lets --schema add columns the sample did not
 * have (JSON lines); otherwise naming an unknown column is a usage error.
 */
export function resolveColumns(
  names: readonly string[],
  guesses: readonly TypeGuess[],
  options: ImportOptions,
  allowNew: boolean,
): ImportColumn[] {
  const overrides = new Map(options.schema.map((s) => [s.name, s.type]));
  const columns = names.map((name, i): ImportColumn => {
    const override = overrides.get(name);
    if (override === undefined) return { name, type: guesses[i]!.decide(), fromSchema: false };
    overrides.delete(name);
    return { name, type: { ...override, nullable: override.nullable || guesses[i]!.sawNull }, fromSchema: true };
  });
  for (const [name, type] of overrides) {
    if (!allowNew) {
      throw usageError(
        `--schema names column ${JSON.stringify(name)}, which the input does not have (columns: ${names.join(", ")})`,
      );
    }
    // Never seen in the sample: every sampled row lacks it, so it must allow nulls.
    columns.push({ name, type: { ...type, nullable: true }, fromSchema: true });
  }
  return columns;
}

/** Appends converted rows to a new table, a batch at a time. */
export class RowImporter {
  private readonly builders: ColumnBuilder[];
  private rows = 0;

  private constructor(
    readonly table: CTable,
    private readonly columns: readonly ImportColumn[],
    source: ValueSource,
    private readonly inPath: string,
    private readonly inferRows: number,
    private readonly signal: AbortSignal,
  ) {
    this.builders = columns.map((c) => new ColumnBuilder(c.name, c.type, source, BATCH_ROWS));
  }

  /** Creates the (empty) table in `store` with the resolved column types. */
  static async create(
    store: Store,
    columns: readonly ImportColumn[],
    source: ValueSource,
    inPath: string,
    options: ImportOptions,
    expectedlen: number | undefined,
    signal: AbortSignal,
  ): Promise<RowImporter> {
    const specs: ColumnSpec[] = columns.map((c) =>
      c.type.kind === "utf8"
        ? { name: c.name, dtype: "utf8", kind: "utf8", nullable: c.type.nullable }
        : { name: c.name, dtype: c.type.dtype.str, nullable: c.type.nullable },
    );
    const table = await CTable.create(store, specs, {
      cparams: options.cparams,
      ...(options.chunklen === undefined ? {} : { chunklen: options.chunklen }),
      ...(expectedlen === undefined || expectedlen <= 0 ? {} : { expectedlen }),
    });
    return new RowImporter(table, columns, source, inPath, options.inferRows, signal);
  }

  /** Adds one row (values in column order; undefined for a missing JSON key). */
  async push(values: readonly unknown[], line: number): Promise<void> {
    const builders = this.builders;
    for (let c = 0; c < builders.length; c++) {
      try {
        builders[c]!.push(values[c]);
      } catch (e) {
        if (e instanceof Misfit) throw this.misfitError(c, e, line);
        throw e;
      }
    }
    // A misfit in a later column leaves earlier columns one row ahead; the import fails then, so
    // the builders are never used again.
    if (builders[0] !== undefined && builders[0].size >= BATCH_ROWS) await this.appendBatch();
  }

  private misfitError(c: number, e: Misfit, line: number): CliError {
    const column = this.columns[c]!;
    const dtype = describeImportType(column.type);
    const hint = column.fromSchema
      ? `(the type given with --schema ${column.name}:${dtype})`
      : `(the type inferred from the first ${this.inferRows.toLocaleString("en-US")} rows); pass --schema ${JSON.stringify(column.name)}:<dtype> or a larger --infer-rows`;
    return new CliError("ERR_BAD_INPUT", `line ${line}: column ${JSON.stringify(column.name)}: ${e.why} ${hint}`, {
      path: this.inPath,
    });
  }

  private async appendBatch(): Promise<void> {
    throwIfInterrupted(this.signal);
    const n = this.builders[0]?.size ?? 0;
    if (n === 0) return;
    const batch: Record<string, ColumnInput> = {};
    for (const b of this.builders) batch[b.name] = b.take();
    await this.table.append(batch);
    this.rows += n;
  }

  /** Appends what is left and commits; returns the number of rows. */
  async finish(): Promise<number> {
    await this.appendBatch();
    await this.table.flush();
    return this.rows;
  }
}
