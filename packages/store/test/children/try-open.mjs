// Tries to open a key store and prints "opened" or the error code. Usage: node try-open.mjs <bundle> <root> <mode>
import { pathToFileURL } from "node:url";

const [bundle, root, mode] = process.argv.slice(2);
const { KeyStore } = await import(pathToFileURL(bundle).href);
try {
  const ks = await KeyStore.open(root, { mode });
  console.log("opened");
  await ks.close();
} catch (e) {
  console.log(`error ${e.code} ${e.message}`);
}
