/**
 * What the child processes of the crash and lock tests import, bundled by global-setup.ts.
 * Only the stores: the package's full entry also pulls in @colz/blosc-wasm, which these tests
 * do not need (and which may be mid-build while they run).
 */
export { isColzError } from "../../src/errors.js";
export { DirectoryStore } from "../../src/store/directory-store.js";
export { FileLock, readLockHolder } from "../../src/store/lock.js";
export { ZipStore } from "../../src/store/zip-store.js";
