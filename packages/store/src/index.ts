// @colz/store: KeyStore, a Map-like durable mapping of string keys to ctables. Platform-neutral;
// paths and the zip layout are in "@colz/store/node".
export type { KeyBackend, StemEntry, ValueBuilder, ValueView } from "./backend.js";
export { type ColumnArray, toColumnArray } from "./column-arrays.js";
export {
  checkKey,
  decodeStem,
  type EncodedKey,
  encodeKey,
  keyProblem,
  MAX_DIRECT_STEM,
  MAX_KEY_BYTES,
} from "./key-codec.js";
export { KeyStore } from "./key-store.js";
export type { GetColumnsOptions, GetOptions, KeyStoreOptions, RenameOptions } from "./key-store-options.js";
export { DEFAULT_FANOUT, type LayoutName, MARKER_NAME, type Marker } from "./layout-names.js";
export type { ArrowTableLike, CopySource, KeyValue, ValueOptions } from "./value-writer.js";
