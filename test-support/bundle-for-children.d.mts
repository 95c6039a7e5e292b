/** Bundles `entry` as ESM into a fresh directory inside `parent`; see bundle-for-children.mjs. */
export function bundleForChildren(options: {
  entry: string;
  parent: string;
  name: string;
  external: (string | RegExp)[];
}): Promise<{ file: string; cleanup: () => void }>;
