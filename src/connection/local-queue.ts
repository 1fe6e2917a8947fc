/**
 * LocalConnection: a bounded FIFO between boxes on one thread.
 *
 * Layout: a plain array of power-of-two length with monotonic head/tail counters;
 *   slot = counter & mask; empty ⇔ head === tail; full ⇔ tail - head === capacity.
 * The array starts with 2 slots and doubles (keeping order) when the queue outgrows it, up to
 * the first power of two ≥ capacity, so idle connections stay small.
 * `capacity` need not be a power of two (only the backing array is), so no slot is wasted
 * and the full/empty rule has no special case. Counters are doubles and never wrap in
 * practice (2^53 IPs).
 *
 * Fan-in: `senders` counts the out-port elements feeding this connection; each calls
 * closeSender() once when its box terminates (or closes the port), and the connection is
 * closed when the count reaches zero.
 *
 * Waiters: one receiver waiter, and a list of sender waiters (several senders may be
 * blocked on a full fan-in connection). Each is called once and removed.
 *
 * `carried` (= tail) and `maxFill` are the statistics the queue can give for free: they are
 * its own state, not a neighbour's.
 */
import type { ReceiveEnd, SendEnd, Waiter } from './connection.ts';

export const MAX_CAPACITY = 1 << 20;

/** Slots a connection's array starts with (it doubles as needed, up to the capacity). */
const INITIAL_SLOTS = 2;

export class LocalConnection<P> implements SendEnd<P>, ReceiveEnd<P> {
  readonly capacity: number;
  private buf: (P | undefined)[];
  private mask: number;
  /** min(capacity, buf.length): below it a send needs no check beyond one compare. */
  private limit: number;
  private head = 0;
  private tail = 0;
  private senders: number;
  private receiverWaiter: Waiter | null = null;
  private senderWaiters: Waiter[] | null = null;
  receiverClosed = false;
  maxFill = 0;

  constructor(capacity: number, senders: number) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
      throw new RangeError(`connection capacity must be an integer in 1..${MAX_CAPACITY}, got ${capacity}`);
    }
    this.capacity = capacity;
    // The array starts small and doubles up to capacity as the queue fills: an idle network
    // of many boxes does not pay for buffers it never uses.
    const n = capacity === 1 ? 1 : INITIAL_SLOTS;
    this.buf = new Array(n);
    this.mask = n - 1;
    this.limit = Math.min(capacity, n);
    this.senders = senders;
  }

  get size(): number {
    return this.tail - this.head;
  }
  get closed(): boolean {
    return this.senders === 0;
  }
  /** Total IPs ever enqueued. */
  get carried(): number {
    return this.tail;
  }

  /**
   * The sender's one call: 1 queued, 0 full (nothing changed), -1 the receiver closed its end.
   */
  offer(ip: P): number {
    if (this.receiverClosed) return -1;
    const fill = this.tail - this.head;
    if (fill >= this.limit) {
      if (fill >= this.capacity) return 0;
      this.grow();
    }
    this.buf[this.tail & this.mask] = ip;
    this.tail++;
    if (fill >= this.maxFill) this.maxFill = fill + 1;
    const w = this.receiverWaiter;
    if (w !== null) {
      this.receiverWaiter = null;
      w.wake();
    }
    return 1;
  }

  /** Put an IP in regardless of capacity: used once, for an IIP on a connected port. */
  preload(ip: P): void {
    if (this.tail - this.head === this.buf.length) this.grow();
    this.buf[this.tail & this.mask] = ip;
    this.tail++;
  }

  private grow(): void {
    const old = this.buf;
    const n = old.length * 2;
    const next: (P | undefined)[] = new Array(n);
    for (let c = this.head; c < this.tail; c++) next[c & (n - 1)] = old[c & this.mask];
    this.buf = next;
    this.mask = n - 1;
    this.limit = Math.min(this.capacity, n);
  }

  tryReceive(): P | undefined {
    if (this.head === this.tail) return undefined;
    const i = this.head & this.mask;
    const ip = this.buf[i];
    this.buf[i] = undefined;
    this.head++;
    const ws = this.senderWaiters;
    if (ws !== null) {
      this.senderWaiters = null;
      for (let k = 0; k < ws.length; k++) ws[k].wake();
    }
    return ip;
  }

  waitNonEmpty(w: Waiter): void {
    if (this.head !== this.tail || this.senders === 0) {
      w.wake();
      return;
    }
    this.receiverWaiter = w;
  }

  waitNonFull(w: Waiter): void {
    if (this.tail - this.head < this.capacity || this.receiverClosed) {
      w.wake();
      return;
    }
    if (this.senderWaiters === null) this.senderWaiters = [w];
    else this.senderWaiters.push(w);
  }

  closeSender(): void {
    if (this.senders === 0) return;
    this.senders--;
    if (this.senders === 0) {
      const w = this.receiverWaiter;
      if (w !== null) {
        this.receiverWaiter = null;
        w.wake();
      }
    }
  }

  closeReceiver(discard?: (ip: P) => void): number {
    if (this.receiverClosed) return 0;
    this.receiverClosed = true;
    const discarded = this.tail - this.head;
    const thrown: P[] | null = discard === undefined || discarded === 0 ? null : [];
    for (let c = this.head; c < this.tail; c++) {
      if (thrown !== null) thrown.push(this.buf[c & this.mask]!);
      this.buf[c & this.mask] = undefined;
    }
    this.head = this.tail;
    const ws = this.senderWaiters;
    if (ws !== null) {
      this.senderWaiters = null;
      for (const w of ws) w.wake();
    }
    // After the queue is consistent: a discard that throws leaves nothing half done.
    if (thrown !== null) for (const ip of thrown) discard!(ip);
    return discarded;
  }

  /** Snapshot for reports: the waiters are not exposed. */
  get sendersOpen(): number {
    return this.senders;
  }
}

/** A connection whose receiver is gone: every offer fails. Unconnected and closed out-ports use it. */
export function closedConnection<P>(): LocalConnection<P> {
  const c = new LocalConnection<P>(1, 0);
  c.receiverClosed = true;
  return c;
}
