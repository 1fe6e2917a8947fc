// Test worker: takes records from a shared queue until it is closed and empty; checks that the
// numbers it sees increase and that each payload names its record; posts the payloads it took.
import { parentPort, workerData } from 'node:worker_threads';
import { QueueConsumer, type QueueInit } from './mpmc.ts';
import { LEN_SHIFT } from './ring.ts';

const { init } = workerData as { init: QueueInit; N: number };
const c = new QueueConsumer(init);
const got: number[] = [];
let last = -1;
for (;;) {
  // Closed is read before the take: a take that then finds nothing means nothing is left.
  const closed = c.senderClosed;
  const t = c.take();
  if (t === null) {
    if (closed) break;
    continue;
  }
  const len = t.header >>> LEN_SHIFT;
  const bytes = t.copy ?? c.bytes.subarray(t.offset, t.offset + len);
  const n = new DataView(bytes.buffer, bytes.byteOffset, len).getUint32(0, true);
  if (n !== t.seq) throw new Error(`record numbered ${t.seq} carries ${n}`);
  if (t.seq <= last) throw new Error(`numbers went back: ${t.seq} after ${last}`);
  last = t.seq;
  for (let i = 4; i < len; i++) if (bytes[i] !== ((n * 7 + i) & 0xff)) throw new Error(`record ${n}: canary broken`);
  c.release();
  got.push(n);
}
parentPort!.postMessage(got);
