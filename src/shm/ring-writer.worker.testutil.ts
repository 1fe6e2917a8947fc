// Test worker: writes `count` seeded records into a ring (spinning when full), then closes it.
import { workerData, parentPort } from 'node:worker_threads';
import { RingWriter } from './ring.ts';
import { lengthOf, writeRecord } from './ring.testutil.ts';

const { init, count, seed, maxLen } = workerData as { init: { sab: SharedArrayBuffer; capacity: number }; count: number; seed: number; maxLen: number };
const w = new RingWriter(init);
let spins = 0;
for (let i = 0; i < count; i++) {
  const len = lengthOf(seed, i, maxLen);
  while (!writeRecord(w, i, len)) spins++;
}
w.close();
parentPort!.postMessage({ spins });
