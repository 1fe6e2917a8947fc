import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/rng.ts';
import { createQueue, QueueConsumer, QueueProducer } from './mpmc.ts';
import { K_DATA, LEN_SHIFT } from './ring.ts';

/** Publish record `n` (its payload: n as u32, then canary bytes) if there is room. */
function put(p: QueueProducer, n: number, len: number): boolean {
  if (!p.hasRoom(p.spanOf(len))) return false;
  const rec = new Uint8Array(len);
  new DataView(rec.buffer).setUint32(0, n, true);
  for (let i = 4; i < len; i++) rec[i] = (n * 7 + i) & 0xff;
  p.publish(K_DATA, 0, len, (off, from, k) => p.bytes.set(rec.subarray(from, from + k), off));
  return true;
}

/** Take one record and check it: returns [record number, payload n] or null. */
function take(c: QueueConsumer): [number, number] | null {
  const t = c.take();
  if (t === null) return null;
  const len = t.header >>> LEN_SHIFT;
  const bytes = t.copy ?? c.bytes.subarray(t.offset, t.offset + len);
  const n = new DataView(bytes.buffer, bytes.byteOffset, len).getUint32(0, true);
  for (let i = 4; i < len; i++) if (bytes[i] !== ((n * 7 + i) & 0xff)) throw new Error(`record ${n}: canary broken at ${i}`);
  c.release();
  return [t.seq, n];
}

describe('shared queue, one thread', () => {
  for (const capacity of [1, 2, 4, 16]) {
    it(`capacity ${capacity}: records of 1 to many slots arrive once, in order, numbered 0, 1, 2, ...`, () => {
      const init = createQueue(capacity, 24, 3);
      const p = new QueueProducer(init);
      const consumers = [0, 1, 2].map(() => new QueueConsumer(init));
      const pick = rng(capacity * 31);
      const N = 3000;
      let sent = 0;
      let got = 0;
      while (got < N) {
        if (sent < N && pick() < 0.5) {
          const len = 4 + Math.floor(pick() * Math.min(p.maxRecord - 4, 70));
          if (put(p, sent, len)) sent++;
        } else {
          const r = take(consumers[Math.floor(pick() * 3)]);
          if (r !== null) {
            expect(r).toEqual([got, got]);
            got++;
          }
        }
      }
      expect(consumers[0].take()).toBeNull();
    });
  }

  it('the last consumer to close makes the queue refuse sends', () => {
    const init = createQueue(4, 16, 2);
    const [a, b] = [new QueueConsumer(init), new QueueConsumer(init)];
    const p = new QueueProducer(init);
    expect(a.closeOne()).toBe(false);
    expect(p.receiverClosed).toBe(false);
    expect(b.closeOne()).toBe(true);
    expect(p.receiverClosed).toBe(true);
  });
});

describe('shared queue, four threads', () => {
  it('one producer, three consumer threads: 30,000 records, each taken exactly once', async () => {
    const init = createQueue(4, 24, 3);
    const N = 30_000;
    const workers = [0, 1, 2].map(
      () =>
        new Worker(new URL('../worker/boot.mjs', import.meta.url), {
          workerData: { entry: new URL('./mpmc-consumer.worker.testutil.ts', import.meta.url).href, init, N },
        }),
    );
    const results = workers.map(
      (w) =>
        new Promise<number[]>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
        }),
    );
    const p = new QueueProducer(init);
    const pick = rng(5);
    const t0 = Date.now();
    for (let n = 0; n < N; ) {
      if (put(p, n, 4 + Math.floor(pick() * 60))) n++;
      else if (Date.now() - t0 > 60_000) throw new Error(`stuck at ${n}`);
    }
    p.close();
    const all = (await Promise.all(results)).flat();
    for (const w of workers) await w.terminate();
    expect(all.length).toBe(N);
    all.sort((x, y) => x - y);
    for (let i = 0; i < N; i++) if (all[i] !== i) throw new Error(`record ${i} missing or duplicated`);
  }, 90_000);
});
