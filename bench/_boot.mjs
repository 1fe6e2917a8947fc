// Worker bootstrap for the benchmarks' own worker threads (as src/worker/boot.mjs): register
// tsx in the worker, then import the module named in workerData.entry. On Node 20 a worker does
// not inherit `--import tsx`, so it cannot start from a .ts file directly.
import { register as registerCjs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
registerCjs();
await import(workerData.entry);
