import { ColzError } from "../errors.js";
import { CArrayReader } from "./carray-reader.js";
import { type CArrayWriter, commitCArrays } from "./carray-writer.js";
import { grownBuffer } from "./row-buffers.js";

/**
 * Appends rows to a carray the way bcolz does, but crash-safe: rows collect in an in-memory
 * leftover buffer; each time it fills, the full chunk is written; `flushChunks()` also writes
 * the partial leftover chunk (a whole new file replacing the old leftover, never an in-place
 * edit), and `flush()` then commits the new length. With a `validity` writer (nullable
 * columns) a parallel bool carray with the same chunklen is appended in lockstep, and each
 * value chunk's sidecar counts its nulls.
 *
 * @example
 * const a = await CArrayAppender.open(await CArrayWriter.open(store, ""));
 * await a.append(new Uint8Array(new Int32Array([1, 2, 3]).buffer));
 * await a.flush();
 */
export class CArrayAppender {
  private buffer: Uint8Array;
  private readonly validBuffer: Uint8Array | undefined;
  /** Rows in the leftover buffer (chunk index = `chunkIndex`). */
  private fill: number;
  private chunkIndex: number;
  /** True when the buffer holds rows not yet written to a chunk file. */
  private dirty = false;

  private constructor(
    readonly writer: CArrayWriter,
    readonly validity: CArrayWriter | undefined,
    leftover: Uint8Array,
    leftoverValid: Uint8Array | undefined,
  ) {
    // Grown as rows arrive, up to one chunk: appends of whole chunks never touch it, so a table
    // written in one go only buffers its leftover rows.
    this.buffer = new Uint8Array(leftover);
    this.fill = leftover.length / writer.atomsize;
    this.chunkIndex = Math.floor(writer.length / writer.chunklen);
    if (validity !== undefined) {
      this.validBuffer = new Uint8Array(writer.chunklen);
      this.validBuffer.set(leftoverValid ?? new Uint8Array(this.fill).fill(1));
    }
  }

  /**
   * Starts appending at the writer's committed length, loading the committed leftover rows (and
   * their validity) so the next chunk file holds them too. The validity carray must have the
   * same chunklen and at least the writer's length.
   *
   * @example
   * const a = await CArrayAppender.open(valuesWriter, validityWriter);
   */
  static async open(writer: CArrayWriter, validity?: CArrayWriter): Promise<CArrayAppender> {
    const L = writer.chunklen;
    const start = Math.floor(writer.length / L) * L;
    let leftover: Uint8Array = new Uint8Array(0);
    let leftoverValid: Uint8Array | undefined;
    if (writer.length > start) {
      const reader = await CArrayReader.open(writer.store, writer.prefix);
      leftover = await reader.readRows(start, writer.length);
    }
    if (validity !== undefined) {
      if (validity.chunklen !== L || validity.dtype.kind !== "b" || validity.length < writer.length) {
        throw new ColzError(
          "ERR_CORRUPT_META",
          `${validity.prefix}: the validity carray must be bool, have chunklen ${L} and at least ${writer.length} rows`,
        );
      }
      // A crash between the validity and the values sizes commits leaves validity longer: cut it back.
      if (validity.length > writer.length) await validity.commit(writer.length);
      if (writer.length > start) {
        const reader = await CArrayReader.open(validity.store, validity.prefix);
        leftoverValid = await reader.readRows(start, writer.length);
      }
    }
    return new CArrayAppender(writer, validity, leftover, leftoverValid);
  }

  /** Rows appended so far, committed or not. */
  get length(): number {
    return this.chunkIndex * this.writer.chunklen + this.fill;
  }

  /**
   * Appends whole rows (stored byte order); full chunks are written as they fill. `valid` has
   * one byte per row (default all valid) and is required to be absent without a validity writer.
   *
   * @example
   * await a.append(bytes, new Uint8Array([1, 0, 1]));
   */
  async append(rowsBytes: Uint8Array, valid?: Uint8Array): Promise<void> {
    const { atomsize, chunklen } = this.writer;
    if (rowsBytes.length % atomsize !== 0) {
      throw new ColzError(
        "ERR_BAD_ARGUMENT",
        `append: ${rowsBytes.length} bytes is not a whole number of ${atomsize}-byte rows`,
      );
    }
    const rows = rowsBytes.length / atomsize;
    if (valid !== undefined && (this.validBuffer === undefined || valid.length !== rows)) {
      throw new ColzError("ERR_BAD_ARGUMENT", "append: validity needs a nullable column and one byte per row");
    }
    let done = 0;
    while (done < rows) {
      if (this.fill === 0 && rows - done >= chunklen && this.validBuffer === undefined) {
        // A whole chunk of the input: compressed from where it is, not copied into the buffer first.
        const whole = rowsBytes.subarray(done * atomsize, (done + chunklen) * atomsize);
        await this.writer.writeChunk(this.chunkIndex, whole);
        this.chunkIndex++;
        done += chunklen;
        continue;
      }
      const take = Math.min(rows - done, chunklen - this.fill);
      this.buffer = grownBuffer(
        this.buffer,
        (this.fill + take) * atomsize,
        this.fill * atomsize,
        this.writer.chunksize,
      );
      this.buffer.set(rowsBytes.subarray(done * atomsize, (done + take) * atomsize), this.fill * atomsize);
      if (this.validBuffer !== undefined) {
        if (valid === undefined) this.validBuffer.fill(1, this.fill, this.fill + take);
        else for (let k = 0; k < take; k++) this.validBuffer[this.fill + k] = valid[done + k] === 0 ? 0 : 1;
      }
      this.fill += take;
      done += take;
      this.dirty = true;
      if (this.fill === chunklen) {
        await this.writeBuffer();
        this.chunkIndex++;
        this.fill = 0;
        this.dirty = false;
      }
    }
  }

  private async writeBuffer(): Promise<void> {
    const rows = this.fill;
    const valid = this.validBuffer?.subarray(0, rows);
    if (this.validity !== undefined) await this.validity.writeChunk(this.chunkIndex, valid!);
    await this.writer.writeChunk(this.chunkIndex, this.buffer.subarray(0, rows * this.writer.atomsize), {
      validity: valid,
    });
  }

  /**
   * Writes the partial leftover chunk if it changed, without committing: step 1 of the commit
   * protocol, for callers that commit several carrays together.
   *
   * @example
   * await a.flushChunks(); await commitCArrays(store, [...a.commitEntries()]);
   */
  async flushChunks(): Promise<void> {
    if (this.dirty && this.fill > 0) await this.writeBuffer();
    this.dirty = false;
  }

  /**
   * The [writer, length] pairs `commitCArrays` needs, validity first.
   *
   * @example
   * await commitCArrays(store, [...a.commitEntries(), ...b.commitEntries()]);
   */
  commitEntries(): [CArrayWriter, number][] {
    const entries: [CArrayWriter, number][] = [];
    if (this.validity !== undefined) entries.push([this.validity, this.length]);
    entries.push([this.writer, this.length]);
    return entries;
  }

  /**
   * Writes the leftover chunk and commits the new length (validity first, then values).
   *
   * @example
   * await a.flush();
   */
  async flush(): Promise<void> {
    await this.flushChunks();
    await commitCArrays(this.writer.store, this.commitEntries());
  }
}
