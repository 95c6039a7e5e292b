export { type ArrowConversion, type ArrowMapping, type ArrowTypeDescriptor, arrowTypeOf } from "./dtype/arrow-type.js";
// On-disk layout (bcolz-compatible carray/ctable + colz extensions); see FORMAT.md.
export {
  type ByteOrder,
  bloscTypesize,
  DATETIME_UNITS,
  type Dtype,
  type DtypeKind,
  isBigIntDtype,
  parseDtype,
  writableDtype,
} from "./dtype/dtype.js";
export { decodeFixedBytes, decodeFixedBytesAsText, decodeUcs4, encodeFixedBytes, encodeUcs4 } from "./dtype/strings.js";
export {
  byteSwapInPlace,
  type ColumnTypedArray,
  type ColumnTypedArrayConstructor,
  fromTypedArray,
  HOST_LITTLE_ENDIAN,
  needsByteSwap,
  toTypedArray,
  typedArrayConstructor,
} from "./dtype/typed-arrays.js";
export { ColzError, type ColzErrorCode, isColzError } from "./errors.js";
export { CArrayAppender } from "./layout/carray-appender.js";
export { checkChunkNbytes } from "./layout/carray-geometry.js";
export {
  type CArraySizes,
  type CArrayStorage,
  type CParams,
  DEFAULT_CPARAMS,
  encodeAttrs,
  encodeSizes,
  encodeStorage,
  MAX_CHUNK_BYTES,
  parseAttrs,
  parseSizes,
  parseStorage,
  resolveCParams,
  type ShuffleCode,
  shuffleName,
  WRITABLE_CNAMES,
  zeroDflt,
} from "./layout/carray-meta.js";
export {
  CArrayReader,
  type CArrayReaderOptions,
  MAX_READ_ALL_BYTES,
} from "./layout/carray-reader.js";
export {
  type CArrayCreateOptions,
  CArrayWriter,
  commitCArrays,
  DATA_DIR_PLACEHOLDER,
  type WriteChunkOptions,
} from "./layout/carray-writer.js";
export {
  CHUNK_FILE_HEADER_SIZE,
  checkChunkFileHeader,
  chunkInfoOf,
  chunkKey,
  decodeChunkFile,
  decodeChunkFileSync,
  encodeChunkFile,
  readChunkFile,
  type SyncReadStore,
  writeChunkFileHeader,
} from "./layout/chunk-file.js";
export { bcolzChunklen, defaultChunklen, MIN_DEFAULT_CHUNK_BYTES } from "./layout/chunklen.js";
export {
  type ContainerKind,
  type CTableColumnSpec,
  type CTableLayout,
  columnPrefix,
  createCTable,
  detectContainer,
  encodeRootdirs,
  openCTable,
  openCTableForAppend,
  parseRootdirs,
  readAttrs,
  readRootdirs,
  validateColumnName,
  writeAttrs,
  writeRootdirs,
} from "./layout/ctable-layout.js";
export {
  type ChunkStats,
  checksumProblem,
  chunkStatsKey,
  computeChunkStats,
  encodeChunkStats,
  parseChunkStats,
  sidecarMatches,
  verifyChunkStats,
} from "./layout/extensions/chunk-stats.js";
export {
  COLZ_FORMAT_VERSION,
  type ColzMeta,
  colzMetaKey,
  encodeColzMeta,
  type LogicalType,
  parseColzMeta,
  readColzMeta,
} from "./layout/extensions/colz-meta.js";
export {
  countNulls,
  createNullableCArray,
  openNullableAppender,
  openValidity,
  validityPrefix,
} from "./layout/extensions/validity.js";
export {
  createVarlenCArray,
  VarlenAppender,
  type VarlenCreateOptions,
  VarlenReader,
  valuesPrefix,
} from "./layout/extensions/varlen.js";
export {
  dumpPyJson,
  encodePyJsonFile,
  type ParsePyJsonOptions,
  PyFloat,
  type PyJsonValue,
  parsePyJson,
  pyFloatRepr,
} from "./layout/json.js";
export { getMetaFile, META_LIMITS } from "./layout/meta-io.js";
export { checkPrefix, checkSegment } from "./layout/prefix.js";
export { grownBuffer } from "./layout/row-buffers.js";
export {
  type CArraySnapshot,
  checkThreads,
  MAX_READ_THREADS,
  type ReadRowsOptions,
  type RunFailure,
  splitRows,
  type WorkerScanJob,
} from "./layout/worker-scan.js";
export { crc32 } from "./store/crc32.js";
export { type HttpStats, HttpStore, type HttpStoreOptions } from "./store/http-store.js";
export { HttpZipStore } from "./store/http-zip-store.js";
export { InProcessLock } from "./store/in-process-lock.js";
export {
  isWellFormed,
  joinKey,
  keyProblem,
  MAX_KEY_BYTES,
  normalizePrefix,
  parentKey,
  prefixDirectory,
  sortKeys,
  validateKey,
  validateRange,
} from "./store/keys.js";
export { MemoryStore, type MemoryStoreOptions } from "./store/memory-store.js";
export type { LockOptions, Store, WriterLock } from "./store/types.js";
export { type ArchiveMember, type EncodedArchive, encodeZipArchive } from "./store/zip-archive.js";
export { ZipBufferStore } from "./store/zip-buffer-store.js";
export { type ByteSource, findLastCommit, viewSource, type ZipCommit } from "./store/zip-directory.js";
export type { ZipEntry } from "./store/zip-format.js";
