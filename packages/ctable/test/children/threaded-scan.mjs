// Child process of threaded-scan.test.ts: one threaded scan of a directory table, then nothing.
// The process must exit by itself: idle scan workers must not keep it alive.
// argv: <bundle> <path>
const [bundle, path] = process.argv.slice(2);
const { openTable, scanWorkerStats } = await import(bundle);
const t = await openTable(path);
const out = new Float64Array(new SharedArrayBuffer(t.length * 8));
await t.readColumn("x", 0, t.length, { out, threads: 2 });
let sum = 0;
for (const v of out) sum += v;
await t.close();
// The worker stays in the pool (no closeScanWorkers): exiting now is the point of the test.
process.stdout.write(`read ${sum} workers ${scanWorkerStats().workers}\n`);
