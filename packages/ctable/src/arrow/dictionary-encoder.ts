import { ColzError } from "@colz/format";
import { type Data, type DataType, type Dictionary, Vector } from "apache-arrow";
import { varlenData } from "./to-vector.js";
import { offsetAt, type Varlen } from "./varlen.js";

// colz stores Dictionary<Utf8> columns decoded; exporting them re-encodes so the Arrow type
// comes back. One encoder serves a column for a whole export: its dictionary only grows, and
// each batch gets a Vector whose chunks extend the previous batch's (same first chunk). That
// is exactly the shape apache-arrow's IPC writers emit as dictionary *deltas*, so a streamed
// export never re-sends or replaces a dictionary.

// latin1 maps each byte to one char, so equal keys mean equal bytes (UTF-8 decoding would
// merge different invalid sequences into U+FFFD).
const keyDecoder = new TextDecoder("latin1");

const INDEX_MAX: Record<string, number> = {
  Int8: 0x7f,
  Int16: 0x7fff,
  Int32: 0x7fffffff,
  Int64: Number.MAX_SAFE_INTEGER,
  Uint8: 0xff,
  Uint16: 0xffff,
  Uint32: 0xffffffff,
  Uint64: Number.MAX_SAFE_INTEGER,
};

/**
 * Dictionary-encodes varlen values batch by batch for one Dictionary type.
 *
 * @example
 * const enc = new DictionaryEncoder(type);
 * const { indices, dictionary } = enc.encode(values, length, validity);
 */
export class DictionaryEncoder {
  private readonly keys = new Map<string, number>();
  private readonly chunks: Data[] = [];
  private vector: Vector | undefined;
  private readonly valueType: DataType;
  private readonly indexType: DataType;
  private readonly indexMax: number;

  constructor(type: Dictionary) {
    this.valueType = type.dictionary;
    this.indexType = type.indices;
    this.indexMax = INDEX_MAX[String(type.indices)] ?? 0x7fffffff;
  }

  /** The dictionary so far (every value seen by earlier `encode` calls). */
  get dictionary(): Vector {
    this.vector ??= new Vector([this.emptyChunk()]);
    return this.vector;
  }

  private emptyChunk(): Data {
    const chunk = varlenData(this.valueType, { offsets: new Int32Array(1), data: new Uint8Array(0) }, 0);
    this.chunks.push(chunk);
    return chunk;
  }

  /** Indices of `length` rows (null rows get index 0) and the dictionary covering them. */
  encode(v: Varlen, length: number, validity?: Uint8Array): { indices: ArrayBufferView; dictionary: Vector } {
    const Ctor = this.indexType.ArrayType as { new (n: number): ArrayLike<number | bigint> & ArrayBufferView };
    const indices = new Ctor(length) as unknown as { [i: number]: number | bigint } & ArrayBufferView;
    const bigIndex = (indices as unknown) instanceof BigInt64Array || (indices as unknown) instanceof BigUint64Array;
    const added: number[] = [];
    for (let i = 0; i < length; i++) {
      if (validity !== undefined && validity[i] === 0) continue;
      const s = offsetAt(v.offsets, i);
      const e = offsetAt(v.offsets, i + 1);
      const key = keyDecoder.decode(v.data.subarray(s, e));
      let index = this.keys.get(key);
      if (index === undefined) {
        index = this.keys.size;
        if (index > this.indexMax) {
          throw new ColzError("ERR_TOO_LARGE", `more distinct values than the ${String(this.indexType)} index holds`);
        }
        this.keys.set(key, index);
        added.push(i);
      }
      indices[i] = bigIndex ? BigInt(index) : index;
    }
    // The first chunk is the (empty) base every later delta extends.
    this.vector ??= new Vector([this.emptyChunk()]);
    if (added.length > 0) {
      const offsets = new Int32Array(added.length + 1);
      let total = 0;
      for (let k = 0; k < added.length; k++) {
        total += offsetAt(v.offsets, added[k]! + 1) - offsetAt(v.offsets, added[k]!);
        offsets[k + 1] = total;
      }
      const bytes = new Uint8Array(total);
      for (let k = 0; k < added.length; k++) {
        bytes.set(v.data.subarray(offsetAt(v.offsets, added[k]!), offsetAt(v.offsets, added[k]! + 1)), offsets[k]!);
      }
      this.chunks.push(varlenData(this.valueType, { offsets, data: bytes }, added.length));
      this.vector = new Vector([...this.chunks]);
    }
    return { indices, dictionary: this.dictionary };
  }
}
