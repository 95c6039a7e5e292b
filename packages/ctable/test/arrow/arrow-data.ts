import {
  Binary,
  Bool,
  type Data,
  type DataType,
  DateDay,
  DateMillisecond,
  Dictionary,
  Duration,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  LargeBinary,
  LargeUtf8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Timestamp,
  TimeUnit,
  Type,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  Vector,
} from "apache-arrow";
import { makeViewType } from "../../src/arrow/arrow-compat.js";

// Arrow test data built from raw buffers, the way IPC readers hand them over: null slots hold
// garbage (colz must not depend on them), strings include multi-byte and empty values.

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n: number, r: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 256) | 0;
  return out;
}

function bitmap(length: number, r: () => number, nullRate: number): { bits?: Uint8Array; valid: boolean[] } {
  const valid = Array.from({ length }, () => r() >= nullRate);
  if (nullRate === 0) return { valid };
  const bits = new Uint8Array(((length + 63) >> 6) << 3);
  valid.forEach((v, i) => {
    if (v) bits[i >> 3]! |= 1 << (i & 7);
  });
  return { bits, valid };
}

const WORDS = [
  "",
  "a",
  "colz",
  "héllo",
  "日本語",
  "🦀 crab",
  "a longer string that is not inline in a view",
  "x".repeat(40),
];

function strings(length: number, r: () => number, valid: boolean[]): { offsets: number[]; data: Uint8Array } {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets = [0];
  let at = 0;
  for (let i = 0; i < length; i++) {
    // Null rows get garbage bytes too: Arrow does not promise empty null slots.
    const word = valid[i] ? WORDS[(r() * WORDS.length) | 0]! + (r() < 0.5 ? String((r() * 1000) | 0) : "") : "junk";
    const b = enc.encode(word);
    parts.push(b);
    at += b.length;
    offsets.push(at);
  }
  const data = new Uint8Array(at);
  let p = 0;
  for (const b of parts) {
    data.set(b, p);
    p += b.length;
  }
  return { offsets, data };
}

/** Every Arrow type colz stores, by a short name. */
export function allTypes(): Record<string, DataType> {
  const types: Record<string, DataType> = {
    int8: new Int8(),
    int16: new Int16(),
    int32: new Int32(),
    int64: new Int64(),
    uint8: new Uint8(),
    uint16: new Uint16(),
    uint32: new Uint32(),
    uint64: new Uint64(),
    float16: new Float16(),
    float32: new Float32(),
    float64: new Float64(),
    bool: new Bool(),
    utf8: new Utf8(),
    largeUtf8: new LargeUtf8(),
    binary: new Binary(),
    largeBinary: new LargeBinary(),
    fixedSizeBinary: new FixedSizeBinary(5),
    tsSecond: new Timestamp(TimeUnit.SECOND),
    tsMilli: new Timestamp(TimeUnit.MILLISECOND),
    tsMicroUtc: new Timestamp(TimeUnit.MICROSECOND, "UTC"),
    tsNanoTz: new Timestamp(TimeUnit.NANOSECOND, "America/New_York"),
    date32: new DateDay(),
    date64: new DateMillisecond(),
    durSecond: new Duration(TimeUnit.SECOND),
    durMilli: new Duration(TimeUnit.MILLISECOND),
    durMicro: new Duration(TimeUnit.MICROSECOND),
    durNano: new Duration(TimeUnit.NANOSECOND),
    dictUtf8: new Dictionary(new Utf8(), new Int32()),
    dictUtf8Int8: new Dictionary(new Utf8(), new Int8()),
    dictLargeUtf8: new Dictionary(new LargeUtf8(), new Uint16()),
    fixedList: new FixedSizeList(3, new Field("item", new Float64(), true)),
  };
  const utf8View = makeViewType(true);
  const binaryView = makeViewType(false);
  if (utf8View !== undefined && binaryView !== undefined) {
    types.utf8View = utf8View;
    types.binaryView = binaryView;
  }
  return types;
}

/** Random Data of `type` with `length` rows, about `nullRate` of them null (garbage in null slots). */
export function randomData(type: DataType, length: number, seed: number, nullRate: number): Data {
  const r = rng(seed);
  const { bits: nullBitmap, valid } = bitmap(length, r, nullRate);
  const nullCount = valid.filter((v) => !v).length;
  const base = { type, length, nullCount, nullBitmap };
  const id = type.typeId as number;
  // biome-ignore lint/suspicious/noExplicitAny: makeData's overloads need a static type
  const make = makeData as (p: any) => Data;
  if (id === 23 || id === 24) {
    const s = strings(length, r, valid);
    const views = new Uint8Array(length * 16);
    const dv = new DataView(views.buffer);
    for (let i = 0; i < length; i++) {
      const len = s.offsets[i + 1]! - s.offsets[i]!;
      dv.setInt32(i * 16, len, true);
      if (len <= 12) views.set(s.data.subarray(s.offsets[i]!, s.offsets[i + 1]!), i * 16 + 4);
      else {
        views.set(s.data.subarray(s.offsets[i]!, s.offsets[i]! + 4), i * 16 + 4);
        dv.setInt32(i * 16 + 12, s.offsets[i]!, true);
      }
    }
    return make({ ...base, views, variadicBuffers: [s.data] });
  }
  switch (type.typeId) {
    case Type.Bool:
      return make({ ...base, data: randomBytes(((length + 63) >> 6) << 3, r) });
    case Type.Utf8:
    case Type.Binary: {
      const s = strings(length, r, valid);
      return make({ ...base, valueOffsets: Int32Array.from(s.offsets), data: s.data });
    }
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const s = strings(length, r, valid);
      return make({ ...base, valueOffsets: BigInt64Array.from(s.offsets.map(BigInt)), data: s.data });
    }
    case Type.Date:
      if ((type as DateDay).unit === 0) {
        return make({ ...base, data: Int32Array.from({ length }, () => ((r() - 0.5) * 2 ** 20) | 0) });
      }
      break;
    case Type.Dictionary: {
      const dict = type as Dictionary;
      const size = 1 + ((r() * 6) | 0);
      const dv = randomData(dict.dictionary, size, seed + 1, 0);
      const indices = new (dict.indices.ArrayType as Int32ArrayConstructor)(length);
      for (let i = 0; i < length; i++) indices[i] = valid[i] ? (r() * size) | 0 : 99; // out of range at nulls
      return make({ ...base, data: indices, dictionary: new Vector([dv]) });
    }
    case Type.FixedSizeList: {
      const list = type as FixedSizeList;
      const child = randomData(list.children[0]!.type, length * list.listSize, seed + 2, 0);
      return make({ ...base, child });
    }
  }
  const Ctor = type.ArrayType as { new (b: ArrayBufferLike): ArrayBufferView; BYTES_PER_ELEMENT: number };
  const stride = type.typeId === Type.FixedSizeBinary ? (type as FixedSizeBinary).byteWidth : 1;
  const bytes = randomBytes(length * stride * Ctor.BYTES_PER_ELEMENT, r);
  return make({ ...base, data: new Ctor(bytes.buffer) });
}

/** A table of `types` split into batches of the given sizes. */
export function randomTable(
  types: Record<string, DataType>,
  batchSizes: readonly number[],
  seed: number,
  nullRate: number,
): Table {
  const fields = Object.entries(types).map(([name, type]) => new Field(name, type, nullRate > 0));
  const schema = new Schema(fields);
  const batches = batchSizes.map((n, b) => {
    const children = fields.map((f, c) => randomData(f.type, n, seed * 1000 + b * 100 + c, nullRate));
    return new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
  });
  return new Table(schema, batches);
}
