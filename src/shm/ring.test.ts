import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/rng.ts';
import { createRing } from './ring.ts';
import { lengthOf, readRecord, RingReader, RingWriter, writeRecord } from './ring.testutil.ts';

describe('ring, one thread', () => {
  for (const capacity of [1, 2, 4, 64]) {
    for (const seed of [1, 2, 3]) {
      it(`capacity ${capacity}, seed ${seed}: records arrive once, in order, intact across wrap-around`, () => {
        const init = createRing(capacity, 256);
        const w = new RingWriter(init);
        const r = new RingReader(init);
        const pick = rng(seed);
        const maxLen = w.maxRecord;
        const N = 5000;
        let sent = 0;
        let got = 0;
        while (got < N) {
          // Random interleaving of the two sides, bounded by what the ring allows.
          if (sent < N && pick() < 0.55) {
            if (writeRecord(w, sent, lengthOf(seed, sent, maxLen))) sent++;
            else expect(w.fillEstimate > 0).toBe(true); // refused only when something is queued
          } else if (readRecord(r, got, lengthOf(seed, got, maxLen))) got++;
          expect(((w.ipsWritten - r.ipsRead) >>> 0) <= capacity).toBe(true);
        }
        expect(r.hasRecord()).toBe(false);
        expect(r.available()).toBe(0);
      });
    }
  }

  for (const capacity of [1, 2, 4, 64]) {
    it(`capacity ${capacity}, batched publication: nothing is seen before it is published, all arrives once and in order`, () => {
      const init = createRing(capacity, 512);
      const w = new RingWriter(init);
      const r = new RingReader(init);
      const pick = rng(capacity * 7 + 1);
      const maxLen = w.maxRecord;
      const N = 5000;
      let sent = 0;
      let published = 0;
      let got = 0;
      while (got < N) {
        const x = pick();
        if (sent < N && x < 0.45) {
          // Publish only when the writer cannot go on, or now and then.
          if (writeRecord(w, sent, lengthOf(9, sent, maxLen), false)) sent++;
          else {
            w.publish();
            published = sent;
          }
        } else if (x < 0.55) {
          w.publish();
          published = sent;
        } else if (x < 0.65) r.publishHead();
        else if (readRecord(r, got, lengthOf(9, got, maxLen), false)) got++;
        else {
          r.publishHead(); // empty: give the room back, then the writer can go on
          expect(got).toBe(published);
          if (pick() < 0.5) {
            w.publish();
            published = sent;
          }
        }
        expect(got <= published).toBe(true);
        expect(((w.ipsWritten - r.ipsRead) >>> 0) <= capacity).toBe(true);
      }
    });
  }

  it('capacity is counted in IPs: a capacity-2 ring refuses the third record', () => {
    const init = createRing(2, 4096);
    const w = new RingWriter(init);
    expect(writeRecord(w, 0, 8)).toBe(true);
    expect(writeRecord(w, 1, 8)).toBe(true);
    expect(writeRecord(w, 2, 8)).toBe(false);
    const r = new RingReader(init);
    expect(r.available()).toBe(2);
    expect(readRecord(r, 0, 8)).toBe(true);
    expect(writeRecord(w, 2, 8)).toBe(true);
  });

  it('bytes bound a ring too, and the waiting flags hand over once', () => {
    const init = createRing(1000, 256);
    const w = new RingWriter(init);
    const r = new RingReader(init);
    let n = 0;
    while (writeRecord(w, n, 60)) n++;
    expect(n).toBeGreaterThan(2);
    expect(n).toBeLessThan(5);
    w.setTxWaiting();
    expect(readRecord(r, 0, 60)).toBe(true);
    expect(r.takeTxWaiting()).toBe(true);
    expect(r.takeTxWaiting()).toBe(false);
    r.setRxWaiting();
    expect(w.takeRxWaiting()).toBe(true);
    expect(w.takeRxWaiting()).toBe(false);
  });

  it('a reader that closes discards what is queued and the writer sees it', () => {
    const init = createRing(8, 1024);
    const w = new RingWriter(init);
    const r = new RingReader(init);
    for (let i = 0; i < 5; i++) writeRecord(w, i, 12);
    r.close();
    expect(r.discardAll()).toBe(5);
    expect(w.receiverClosed).toBe(true);
  });
});

describe('ring, two threads', () => {
  for (const capacity of [1, 2, 4]) {
    it(`capacity ${capacity}: 50,000 records from a worker arrive exactly once, in order`, async () => {
      const init = createRing(capacity, 512);
      const seed = 40 + capacity;
      const count = 50_000;
      const maxLen = new RingReader(init).maxRecord;
      const worker = new Worker(new URL('../worker/boot.mjs', import.meta.url), {
        workerData: { entry: new URL('./ring-writer.worker.testutil.ts', import.meta.url).href, init, count, seed, maxLen },
      });
      const done = new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const r = new RingReader(init);
      let got = 0;
      const t0 = Date.now();
      while (got < count) {
        if (readRecord(r, got, lengthOf(seed, got, maxLen))) got++;
        else if (Date.now() - t0 > 60_000) throw new Error(`stuck at ${got}`);
      }
      await done;
      expect(r.senderClosed).toBe(true);
      expect(r.hasRecord()).toBe(false);
      await worker.terminate();
    }, 90_000);
  }
});
