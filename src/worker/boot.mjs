// Worker bootstrap: lets a worker thread load TypeScript modules (tsx), then runs the module
// named in workerData.entry. Workers cannot start from a .ts file directly on Node 20.
import { register as registerCjs } from 'tsx/cjs/api';
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

// Both hooks, as bin/weft.mjs: a component outside an ES-module package loads as CommonJS.
register();
registerCjs();
await import(workerData.entry);
