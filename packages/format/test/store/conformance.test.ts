import { afterAll } from "vitest";
import { DirectoryStore } from "../../src/store/directory-store.js";
import { HttpStore } from "../../src/store/http-store.js";
import { HttpZipStore } from "../../src/store/http-zip-store.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import type { Store } from "../../src/store/types.js";
import { ZipStore } from "../../src/store/zip-store.js";
import { storeConformance } from "./conformance.js";
import { tempArea } from "./helpers.js";
import { type StaticServer, startStaticServer } from "./static-server.js";

const tmp = tempArea("conformance");

async function fill(store: Store, entries: Map<string, Uint8Array>): Promise<Store> {
  for (const [k, v] of entries) await store.set(k, v);
  await store.commit();
  await store.close();
  return store;
}

storeConformance({
  name: "MemoryStore",
  canList: true,
  modelRuns: 100,
  createReadOnly: async (entries) => new MemoryStore({ entries, readOnly: true }),
  createWritable: async () => new MemoryStore(),
});

const dirRoots = new WeakMap<Store, string>();
storeConformance({
  name: "DirectoryStore",
  canList: true,
  createReadOnly: async (entries) => {
    const root = tmp.next();
    await fill(await DirectoryStore.open(root, { mode: "a" }), entries);
    return DirectoryStore.open(root);
  },
  createWritable: async () => {
    const root = tmp.next();
    const store = await DirectoryStore.open(root, { mode: "w" });
    dirRoots.set(store, root);
    return store;
  },
  persistence: {
    afterReopen: "all-sets",
    reopen: async (store, mode) => {
      const root = dirRoots.get(store) as string;
      await store.close();
      const again = await DirectoryStore.open(root, { mode });
      dirRoots.set(again, root);
      return again;
    },
  },
});

const zipFiles = new WeakMap<Store, string>();
storeConformance({
  name: "ZipStore",
  canList: true,
  createReadOnly: async (entries) => {
    const file = tmp.next(".zip");
    await fill(await ZipStore.open(file, { mode: "a" }), entries);
    return ZipStore.open(file);
  },
  createWritable: async () => {
    const file = tmp.next(".zip");
    const store = await ZipStore.open(file, { mode: "w" });
    zipFiles.set(store, file);
    return store;
  },
  persistence: {
    afterReopen: "last-commit",
    reopen: async (store, mode) => {
      const file = zipFiles.get(store) as string;
      await store.close();
      const again = await ZipStore.open(file, { mode });
      zipFiles.set(again, file);
      return again;
    },
  },
});

// The HTTP stores read what the directory and zip stores wrote, through a real HTTP server.
let server: StaticServer | undefined;
const site = tempArea("site");
async function serverUrl(): Promise<string> {
  server ??= await startStaticServer(site.dir);
  return server.url;
}
afterAll(async () => server?.close());

let siteCount = 0;
storeConformance({
  name: "HttpStore",
  canList: false,
  createReadOnly: async (entries) => {
    const name = `dir${siteCount++}`;
    await fill(await DirectoryStore.open(`${site.dir}/${name}`, { mode: "a" }), entries);
    return HttpStore.open(`${await serverUrl()}${name}`);
  },
});

storeConformance({
  name: "HttpZipStore",
  canList: true,
  createReadOnly: async (entries) => {
    const name = `zip${siteCount++}.zip`;
    await fill(await ZipStore.open(`${site.dir}/${name}`, { mode: "a" }), entries);
    return HttpZipStore.open(`${await serverUrl()}${name}`);
  },
});
