// Saving results under apps/bench/results/ (gitignored): <name>-<timestamp>.{json,md} plus
// <name>-latest.{json,md}, so the newest run is always at a fixed path.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/bench/results, whatever the working directory. */
export const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../results");

/** "2025-01-31T12-34-56Z": sortable, safe in file names. @param {Date} d */
export function fileTimestamp(d) {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
}

/**
 * @param {string} name       e.g. "codec"
 * @param {unknown} json      serialisable result
 * @param {string} markdown   human report
 * @param {{ dir?: string, date?: Date }} [opts]
 * @returns {{ json: string, md: string, latestJson: string, latestMd: string }} written paths
 */
export function saveResults(name, json, markdown, opts = {}) {
  const dir = opts.dir ?? RESULTS_DIR;
  mkdirSync(dir, { recursive: true });
  const stamp = fileTimestamp(opts.date ?? new Date());
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const md = markdown.endsWith("\n") ? markdown : `${markdown}\n`;
  const paths = {
    json: join(dir, `${name}-${stamp}.json`),
    md: join(dir, `${name}-${stamp}.md`),
    latestJson: join(dir, `${name}-latest.json`),
    latestMd: join(dir, `${name}-latest.md`),
  };
  writeFileSync(paths.json, text);
  writeFileSync(paths.md, md);
  writeFileSync(paths.latestJson, text);
  writeFileSync(paths.latestMd, md);
  return paths;
}
