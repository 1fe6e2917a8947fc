/**
 * RingSendEnd's publication rules, on one thread (both ends here, a recording host):
 * - batch sizes: a quarter of the capacity, at most 32; below SMALL_RING only a looper's sends
 *   are batched; an ordered replica's (tagged) sends never are;
 * - publishPending() publishes a partial batch at once (a box about to take its next input)
 *   and rings a reader that waits; flush() does the same for the host's dirty list;
 * - "full" publishes first, so a reader never waits for records the sender holds back;
 * - offerData(value) writes what offer() writes for a data packet, and both refuse (-1) once
 *   the receiver closed.
 */
import { describe, expect, it } from 'vitest';
import type { Waiter } from './connection.ts';
import { RingReceiveEnd } from './ring-receive.ts';
import { RingSendEnd, SMALL_RING, sendBatchFor, type PacketIO, type RingHost } from './shared-ring.ts';
import { codecFor } from '../shm/codec.ts';
import { createRing } from '../shm/ring.ts';

interface Pkt {
  kind: 'data' | 'open' | 'close';
  data: unknown;
}
const io: PacketIO<Pkt> = { kindOf: (p) => p.kind, valueOf: (p) => p.data, make: (kind, data) => ({ kind, data }) };

class Host implements RingHost {
  rings = 0;
  dirtyEnds: { flush(): void }[] = [];
  ring(): void {
    this.rings++;
  }
  watch(): void {}
  dirty(end: { flush(): void }): void {
    this.dirtyEnds.push(end);
  }
}

function pair(capacity: number, opts: { looper?: boolean; tagged?: boolean; layout?: 'f64' | 'any' } = {}) {
  const init = createRing(capacity, 1 << 12);
  const layout = opts.layout === 'any' ? ({ kind: 'any' } as const) : ({ kind: 'machine', type: 'f64' } as const);
  const txHost = new Host();
  const tx = new RingSendEnd<Pkt>(init, codecFor(layout, 'A.out -> B.in'), io, txHost, 1, opts.tagged ? { seq: 0 } : null, opts.looper ?? true);
  const rx = new RingReceiveEnd<Pkt>(init, codecFor(layout, 'A.out -> B.in'), io, new Host(), 0);
  return { tx, rx, txHost };
}

/** How many records the sender must commit before the reader sees any. */
function publishedAfter(tx: RingSendEnd<Pkt>, rx: RingReceiveEnd<Pkt>, limit: number): number {
  for (let i = 1; i <= limit; i++) {
    expect(tx.offerData(i)).toBe(1);
    if (rx.size > 0) return i;
  }
  return -1;
}

describe('RingSendEnd: batches', () => {
  it('a quarter of the capacity, at least 1, at most 32', () => {
    expect([1, 4, 7, 8, 10, 16, 64, 127, 128, 256, 4096].map(sendBatchFor)).toEqual([1, 1, 1, 2, 2, 4, 16, 31, 32, 32, 32]);
  });

  for (const cap of [4, 10, 16, 64, 256]) {
    it(`capacity ${cap}: a looper's sends become visible per ${sendBatchFor(cap)}; a non-looper's ${cap >= SMALL_RING ? 'too' : 'one by one'}`, () => {
      const looper = pair(cap, { looper: true });
      expect(publishedAfter(looper.tx, looper.rx, cap)).toBe(sendBatchFor(cap));
      const nl = pair(cap, { looper: false });
      expect(publishedAfter(nl.tx, nl.rx, cap)).toBe(cap >= SMALL_RING ? sendBatchFor(cap) : 1);
    });
  }

  it('an ordered replica publishes every record at once', () => {
    const { tx, rx } = pair(256, { tagged: true });
    expect(publishedAfter(tx, rx, 10)).toBe(1);
  });

  it('publishPending shows a partial batch and rings a reader that waits', () => {
    const { tx, rx, txHost } = pair(64, { layout: 'any' });
    const waiter: Waiter & { woken: number } = {
      woken: 0,
      wake() {
        this.woken++;
      },
    };
    rx.waitNonEmpty(waiter); // empty: the reader asks for a doorbell
    expect(tx.offerData({ n: 1 })).toBe(1);
    expect(tx.offerData({ n: 2 })).toBe(1);
    expect(rx.size).toBe(0);
    expect(txHost.dirtyEnds).toEqual([tx]); // on the host's list once, until the host flushes
    const before = txHost.rings;
    tx.publishPending();
    expect(rx.size).toBe(2);
    expect(txHost.rings).toBe(before + 1);
    tx.publishPending(); // nothing new: no publication, no doorbell
    expect(txHost.rings).toBe(before + 1);
    expect([rx.tryReceive(), rx.tryReceive(), rx.tryReceive()]).toEqual([
      { kind: 'data', data: { n: 1 } },
      { kind: 'data', data: { n: 2 } },
      undefined,
    ]);
    // The host's flush publishes the rest of a batch the same way.
    expect(tx.offerData({ n: 3 })).toBe(1);
    expect(rx.size).toBe(0);
    for (const e of txHost.dirtyEnds) e.flush();
    expect(rx.size).toBe(1);
  });

  it('"full" publishes what the sender held back', () => {
    const cap = 16;
    const { tx, rx } = pair(cap);
    for (let i = 0; i < cap; i++) expect(tx.offerData(i)).toBe(1);
    expect(rx.size).toBe(cap); // the last batch (16 / 4) went out with the 16th record
    const odd = pair(11); // batches of 2: the 11th record is held back
    for (let i = 0; i < 11; i++) expect(odd.tx.offerData(i)).toBe(1);
    expect(odd.rx.size).toBe(10);
    expect(odd.tx.offerData(11)).toBe(0); // full: what was held back goes out first
    expect(odd.rx.size).toBe(11);
  });

  it('offerData writes what offer writes for a data packet; both refuse once the receiver closed', () => {
    const { tx, rx } = pair(8, { layout: 'any' });
    expect(tx.offer({ kind: 'open', data: 'g' })).toBe(1);
    expect(tx.offerData({ a: [1, 2] })).toBe(1);
    expect(tx.offer({ kind: 'data', data: { a: [1, 2] } })).toBe(1);
    expect(tx.offer({ kind: 'close', data: 'g' })).toBe(1);
    tx.publishPending();
    const got = [rx.tryReceive(), rx.tryReceive(), rx.tryReceive(), rx.tryReceive()];
    expect(got).toEqual([
      { kind: 'open', data: 'g' },
      { kind: 'data', data: { a: [1, 2] } },
      { kind: 'data', data: { a: [1, 2] } },
      { kind: 'close', data: 'g' },
    ]);
    rx.closeReceiver();
    expect(tx.offerData(1)).toBe(-1);
    expect(tx.offer({ kind: 'data', data: 1 })).toBe(-1);
  });
});
