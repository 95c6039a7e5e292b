export * from "./index.js";
export { DIRECTORY_LOCK_NAME, DirectoryStore, type DirectoryStoreOptions } from "./store/directory-store.js";
export { fsyncDir } from "./store/file-io.js";
export { FileLock, type FileLockOptions, isPidAlive, type LockHolder, readLockHolder } from "./store/lock.js";
export { closeScanWorkers, scanWorkerStats } from "./store/scan-pool.js";
export { ZipStore, type ZipStoreOptions } from "./store/zip-store.js";
