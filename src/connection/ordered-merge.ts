/**
 * OrderedMerge: the receive end in front of the box downstream of an ordered parallel node.
 * It merges the replicas' output rings back into input order.
 *
 * Every output record carries the number of the input it came from (F_SEQ; inputs are
 * numbered 0, 1, 2, ... as they leave the shared queue), and each replica's ring is in
 * increasing order. The merge gives out the smallest number at the head of any ring, once no
 * other replica can still produce a smaller one: a replica with output at its head is past it,
 * a closed one is done, and one with an empty ring is checked in the order state (shm/order.ts):
 * idle, or already working on a later input. Outputs of one input keep their order (one ring);
 * an input with no output simply never appears.
 *
 * Waiting: the merge registers with the rings of the replicas that hold it back (an output
 * arriving wakes it) and flags its worker in the order state (a replica going idle or taking a
 * later input rings it); the worker then polls it.
 */
import type { MergeView } from '../shm/order.ts';
import type { InConnection, Waiter } from './connection.ts';
import type { RingHost } from './shared-ring.ts';
import type { RingReceiveEnd } from './ring-receive.ts';

export class OrderedMerge<P> implements InConnection<P>, Waiter {
  readonly capacity: number;
  private waiter: Waiter | null = null;
  private watching = false;
  private closedEarly = false;

  constructor(
    /** One ring per replica, indexed by replica number. */
    private readonly sources: RingReceiveEnd<P>[],
    private readonly view: MergeView,
    private readonly host: RingHost,
    private readonly self: number,
  ) {
    let c = 0;
    for (const s of sources) c = Math.max(c, s.capacity);
    this.capacity = c;
  }

  /** The source whose head may go out now, or -1. */
  private pick(): number {
    const src = this.sources;
    for (;;) {
      let best = -1;
      let bestSeq = Infinity;
      for (let k = 0; k < src.length; k++) {
        const s = src[k].peekSeq();
        if (s >= 0 && s < bestSeq) {
          best = k;
          bestSeq = s;
        }
      }
      if (best < 0) return -1;
      let restart = false;
      for (let j = 0; j < src.length && !restart; j++) {
        if (j === best) continue;
        const s = src[j].peekSeq();
        if (s >= 0) {
          if (s < bestSeq) restart = true;
          continue;
        }
        if (src[j].closed && src[j].peekSeq() < 0) continue;
        // State first, then the ring again: output written before the state changed is seen.
        if (!this.view.passes(j, bestSeq)) return -1;
        if (src[j].peekSeq() >= 0) restart = true;
      }
      if (!restart) return best;
    }
  }

  get size(): number {
    return this.closedEarly || this.pick() < 0 ? 0 : 1;
  }
  get closed(): boolean {
    for (const s of this.sources) if (!s.closed) return false;
    return true;
  }
  get carried(): number {
    let n = 0;
    for (const s of this.sources) n += s.carried;
    return n;
  }
  get maxFill(): number {
    let n = 0;
    for (const s of this.sources) n = Math.max(n, s.maxFill);
    return n;
  }
  get receiverClosed(): boolean {
    return this.closedEarly;
  }

  tryReceive(): P | undefined {
    if (this.closedEarly) return undefined;
    const k = this.pick();
    return k < 0 ? undefined : this.sources[k].tryReceive();
  }

  private ready(): boolean {
    return this.pick() >= 0 || this.closed;
  }

  waitNonEmpty(w: Waiter): void {
    this.waiter = w;
    this.register();
  }

  private register(): void {
    if (this.waiter === null) return;
    if (this.ready()) {
      this.fire();
      return;
    }
    this.view.setWaiting(this.self);
    // Only the rings with nothing at their head: the others have nothing to tell.
    for (const s of this.sources) {
      if (this.waiter === null) return;
      if (s.peekSeq() < 0 && !s.closed) s.waitNonEmpty(this);
    }
    if (this.waiter !== null && this.ready()) {
      this.fire();
      return;
    }
    if (this.waiter !== null && !this.watching) {
      this.watching = true;
      this.host.watch(this);
    }
  }

  private fire(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.wake();
  }

  /** Waiter: a ring delivered or closed. */
  wake(): void {
    if (this.waiter !== null) this.register();
  }

  /** The worker's bell rang (a replica changed state): true when nothing more is awaited. */
  poll(): boolean {
    if (this.waiter === null) {
      this.watching = false;
      return true;
    }
    if (this.ready()) {
      this.watching = false;
      this.fire();
      return true;
    }
    this.view.setWaiting(this.self);
    if (this.ready()) {
      this.watching = false;
      this.fire();
      return true;
    }
    return false;
  }

  closeReceiver(): number {
    if (this.closedEarly) return 0;
    this.closedEarly = true;
    let n = 0;
    // Ring ends: their codec releases what they discard (shm/codec.ts), no callback needed.
    for (const s of this.sources) n += s.closeReceiver();
    return n;
  }
}
