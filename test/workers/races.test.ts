/**
 * Cross-thread races at the receiving end, replayed deterministically on one thread.
 *
 * A receive end over a shared-memory ring can change between two of its reads: the sender's
 * thread may publish a record and close the ring at any moment. Here a real ring (RingSendEnd
 * / RingReceiveEnd over one SharedArrayBuffer) is wrapped so that, during the operation under
 * test, the "other thread" publishes its last IP and closes right before the k-th access to
 * the receive end, for every k the operation makes: every interleaving point is tried.
 *
 * Whatever k is, the outcome must be one that some correct order allows:
 * - FanIn.waitNonEmpty: the waiter is woken, now or when the ring's doorbell is answered
 *   (the host polls the ends it watches), never left registered nowhere;
 * - InPortImpl.take (a box's receive): the IP, or "wait" (and the IP on the next take); never
 *   end of stream while the IP is still in the ring.
 *
 * These are the two mechanisms behind the rare deadlocks seen in the conservation runs (a box
 * blocked on a fan-in whose every sender is done) and a possible loss of a stream's last IPs.
 */
import { describe, expect, it } from 'vitest';
import type { InConnection, Waiter } from '../../src/connection/connection.ts';
import { FanIn } from '../../src/connection/fan-in.ts';
import { LocalConnection } from '../../src/connection/local-queue.ts';
import { RingReceiveEnd } from '../../src/connection/ring-receive.ts';
import { RingSendEnd, type PacketIO, type RingHost } from '../../src/connection/shared-ring.ts';
import type { Box } from '../../src/scheduler/box.ts';
import { InPortImpl } from '../../src/scheduler/ports.ts';
import { codecFor } from '../../src/shm/codec.ts';
import { createRing } from '../../src/shm/ring.ts';

interface Pkt {
  kind: 'data' | 'open' | 'close';
  data: unknown;
}

const io: PacketIO<Pkt> = { kindOf: (p) => p.kind, valueOf: (p) => p.data, make: (kind, data) => ({ kind, data }) };

/** A host that records what the ends ask for: the ends it must poll when its bell rings. */
class Host implements RingHost {
  watched: { poll(): boolean }[] = [];
  rings = 0;
  ring(): void {
    this.rings++;
  }
  watch(end: { poll(): boolean }): void {
    this.watched.push(end);
  }
  /** Ends with counters not yet published: a worker flushes them after the running code. */
  dirtyEnds: { flush(): void }[] = [];
  dirty(end: { flush(): void }): void {
    this.dirtyEnds.push(end);
  }
  /** What a worker does when its bell rang: poll every watched end, keep those still waiting. */
  answerBell(): void {
    const list = this.watched;
    this.watched = [];
    for (const e of list) if (!e.poll()) this.watched.push(e);
  }
}

/** A ring between a sender and a receiver "on two threads" (both ends here). */
function ring(capacity = 4) {
  const init = createRing(capacity, 1 << 16);
  const rxHost = new Host();
  const txHost = new Host();
  const tx = new RingSendEnd<Pkt>(init, codecFor({ kind: 'any' }, 'A.out -> B.in'), io, txHost, 1);
  const rx = new RingReceiveEnd<Pkt>(init, codecFor({ kind: 'any' }, 'A.out -> B.in'), io, rxHost, 0);
  return { tx, rx, rxHost };
}

/**
 * The receive end seen through a proxy that runs `other()` (the sender's thread) once, right
 * before the k-th access to any of its members. `accesses()` says how many there were.
 */
function interleaved(rx: InConnection<Pkt>, k: number, other: () => void) {
  let n = 0;
  let fired = false;
  const proxy = new Proxy(rx, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop !== 'constructor') {
        n++;
        if (n === k && !fired) {
          fired = true;
          other();
        }
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : (void receiver, v);
    },
  });
  return { proxy: proxy as InConnection<Pkt>, accesses: () => n, fired: () => fired };
}

class CountingWaiter implements Waiter {
  woken = 0;
  wake(): void {
    this.woken++;
  }
}

describe('FanIn: a ring source that closes while the fan-in registers', () => {
  // The fan-in's local source is closed and empty already (its sender on this thread is
  // done); the ring's sender closes at some point during waitNonEmpty.
  function attempt(k: number) {
    const { tx, rx, rxHost } = ring();
    const local = new LocalConnection<Pkt>(4, 1);
    local.closeSender();
    const { proxy, accesses, fired } = interleaved(rx, k, () => tx.closeSender());
    const fan = new FanIn<Pkt>([local, proxy]);
    const box = new CountingWaiter();
    fan.waitNonEmpty(box);
    if (!fired()) tx.closeSender();
    // The sender rang this worker's bell when it closed: the worker polls what it watches.
    rxHost.answerBell();
    return { woken: box.woken, accesses: accesses(), fired: fired(), closed: fan.closed };
  }

  it('the box is woken (to see the end of stream) wherever the close lands', () => {
    const total = attempt(Number.MAX_SAFE_INTEGER).accesses;
    expect(total).toBeGreaterThan(0);
    const lost: number[] = [];
    for (let k = 1; k <= total + 1; k++) {
      const r = attempt(k);
      expect(r.closed).toBe(true);
      if (r.woken === 0) lost.push(k);
    }
    expect(lost, `close before access k of ${total} to the ring end: the fan-in registered nowhere and the box is never woken`).toEqual([]);
  });
});

describe('InPortImpl.take: a ring whose sender publishes its last IP and closes during the receive', () => {
  function attempt(k: number) {
    const { tx, rx } = ring();
    const { proxy, accesses, fired } = interleaved(rx, k, () => {
      expect(tx.offer({ kind: 'data', data: 'last' })).toBe(1);
      tx.closeSender();
    });
    const box = { checked: false, ipsIn: 0, activationId: 0, op: null } as unknown as Box;
    const port = new InPortImpl(box, 'in', -1);
    port.conn = proxy;
    const first = port.take();
    const inFirst = accesses();
    const queuedAtFirst = rx.size;
    if (!fired()) {
      expect(tx.offer({ kind: 'data', data: 'last' })).toBe(1);
      tx.closeSender();
    }
    // Then receive until the end of stream (a box woken by the doorbell would do the same).
    const got: unknown[] = [];
    let r = first;
    for (let i = 0; i < 5 && r !== null; i++) {
      if (r !== undefined) got.push(r.data);
      r = port.take();
    }
    return { first, queuedAtFirst, got, inFirst, ended: r === null };
  }

  it('never reports end of stream while the IP is in the ring; the IP is received', () => {
    const total = attempt(Number.MAX_SAFE_INTEGER).inFirst;
    expect(total).toBeGreaterThan(0);
    const bad: string[] = [];
    for (let k = 1; k <= total; k++) {
      const r = attempt(k);
      if (r.first === null && r.queuedAtFirst > 0) bad.push(`k=${k} of ${total}: end of stream with ${r.queuedAtFirst} IP in the ring`);
      else if (JSON.stringify(r.got) !== '["last"]' || !r.ended) bad.push(`k=${k} of ${total}: received ${JSON.stringify(r.got)}, ended ${r.ended}`);
    }
    expect(bad).toEqual([]);
  });
});
