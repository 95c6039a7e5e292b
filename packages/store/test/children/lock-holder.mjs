// Opens a key store for writing and holds it until killed. Usage: node lock-holder.mjs <bundle> <root> <layout>
import { pathToFileURL } from "node:url";

const [bundle, root, layout] = process.argv.slice(2);
const { KeyStore } = await import(pathToFileURL(bundle).href);
await KeyStore.open(root, { mode: "a", layout });
console.log(`locked ${process.pid}`);
setInterval(() => undefined, 1 << 30);
