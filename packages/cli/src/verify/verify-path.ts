import { relative } from "node:path";
import { openStore } from "@colz/ctable/node";
import type { Store } from "@colz/format";
import { encodeKey, KeyStore } from "@colz/store/node";
import type { PathInfo } from "../open-path.js";
import { fileOf, type Problem, Report } from "./problems.js";
import { verifyCArray } from "./verify-carray.js";
import { countChunks, verifyTable } from "./verify-table.js";

/** `verify --json` (README "JSON output"). */
export interface VerifyResult {
  path: string;
  kind: PathInfo["kind"];
  layout: PathInfo["layout"];
  ok: boolean;
  /** What was checked: carrays (incl. validity/values carrays), chunk files, keys (key stores). */
  checked: { carrays: number; chunks: number; keys?: number };
  problems: Problem[];
}

/** Progress callbacks: a total once known, then one tick per unit (chunks, or keys for stores). */
export interface VerifyProgress {
  start(total: number, unit: string): void;
  tick(): void;
}

async function verifyContainer(info: PathInfo, report: Report, progress: VerifyProgress | undefined): Promise<void> {
  let store: Store;
  try {
    store = await openStore(info.path, "r", { layout: info.layout });
  } catch (e) {
    report.add(".", fileOf(e, ".").message);
    return;
  }
  try {
    const kind = info.kind === "keystore" ? "ctable" : info.kind;
    progress?.start(await countChunks(store, "", kind), "chunks");
    const tick = progress === undefined ? undefined : () => progress.tick();
    if (kind === "ctable") await verifyTable(store, "", report, tick);
    else await verifyCArray(store, "", report, tick);
  } finally {
    await store.close().catch(() => undefined);
  }
}

/** Where a key's value lives, relative to the store root ("5c/k_a_a_p_l.zip" or the pointer). */
function valueFile(key: string, layout: string, fanout: number): string {
  const name = encodeKey(key, fanout);
  return `${name.bucket}/${name.stem}${layout === "zip" ? ".zip" : ".ptr"}`;
}

async function verifyKeyStore(info: PathInfo, report: Report, progress: VerifyProgress | undefined): Promise<void> {
  const { readFile } = await import("node:fs/promises");
  let marker: { layout?: string; fanout?: number };
  try {
    marker = JSON.parse(await readFile(`${info.path}/colz-keystore.json`, "utf8")) as typeof marker;
  } catch (e) {
    report.add("colz-keystore.json", fileOf(e, "colz-keystore.json").message);
    return;
  }
  const layout = String(marker.layout ?? "zip");
  const fanout = Number(marker.fanout ?? 2);
  const ks = await KeyStore.open(info.path, { mode: "r" });
  try {
    const keys: string[] = [];
    for await (const key of ks.keys()) keys.push(key);
    progress?.start(keys.length, "keys");
    for (const key of keys) {
      report.keys++;
      const file = valueFile(key, layout, fanout);
      try {
        const table = await ks.get(key);
        if (table === undefined) {
          report.add(file, "listed but cannot be opened (deleted meanwhile?)");
          continue;
        }
        try {
          // zip layout: the key's own ZIP file; dir layout: a version directory under the root.
          const inStore = table.prefix === "" ? `${relative(info.path, table.store.description) || file}:` : "";
          await verifyTable(table.store, table.prefix, report.child(inStore, key));
        } finally {
          await table.close();
        }
      } catch (e) {
        const r = report.child("", key);
        r.add(file, fileOf(e, file).message);
      }
      progress?.tick();
    }
  } finally {
    await ks.close();
  }
}

/**
 * Verifies everything at `path` (see verifyCArray for the checks), collecting every problem.
 *
 * @example
 * const result = await verifyPath(await detectPath("prices.bcolz"));
 * if (!result.ok) for (const p of result.problems) console.log(p.file, p.message);
 */
export async function verifyPath(info: PathInfo, progress?: VerifyProgress): Promise<VerifyResult> {
  const report = new Report();
  if (info.kind === "keystore") await verifyKeyStore(info, report, progress);
  else await verifyContainer(info, report, progress);
  const checked: VerifyResult["checked"] = { carrays: report.carrays, chunks: report.chunks };
  if (info.kind === "keystore") checked.keys = report.keys;
  return {
    path: info.path,
    kind: info.kind,
    layout: info.layout,
    ok: report.problems.length === 0,
    checked,
    problems: report.problems,
  };
}
