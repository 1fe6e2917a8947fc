/**
 * Worker side of codec-any.test.ts: encode the seeded values with a codec of this thread and
 * write them into the shared buffer as [u32 length][bytes], then post a message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { codecFor } from './codec.ts';
import { anyValues } from './codec.testutil.ts';

const { sab, seed, count } = workerData as { sab: SharedArrayBuffer; seed: number; count: number };
const enc = codecFor({ kind: 'any' }, 'edge A.OUT -> B.IN');
const bytes = new Uint8Array(sab);
const view = new DataView(sab);
let at = 0;
for (const value of anyValues(seed, count)) {
  const out = enc.encode(value);
  view.setUint32(at, out.length, true);
  bytes.set(out, at + 4);
  at += 4 + out.length;
}
parentPort!.postMessage('done');
