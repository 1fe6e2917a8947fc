/**
 * FanIn: one receive end over several sources, for an in-port whose senders live on more than
 * one worker (a LocalConnection for the senders on this thread, a ring per sender elsewhere).
 * Order is kept per source, as for any fan-in; between sources it is whatever arrives.
 *
 * Closed when every source is closed. A receive takes from the sources in turn, starting after
 * the one that gave the last IP, so that a busy source cannot starve the others.
 *
 * Waiting: the FanIn registers itself with every source and passes the first wake-up on to
 * the box's waiter. A source that wakes it when there is still nothing to take (another
 * source's leftover registration) makes it register again instead of waking the box.
 */
import type { InConnection, Waiter } from './connection.ts';

export class FanIn<P> implements InConnection<P>, Waiter {
  readonly capacity: number;
  private readonly sources: InConnection<P>[];
  private next = 0;
  private waiter: Waiter | null = null;
  private closedEarly = false;

  constructor(sources: InConnection<P>[]) {
    this.sources = sources;
    let c = 0;
    for (const s of sources) c = Math.max(c, s.capacity);
    this.capacity = c;
  }

  get size(): number {
    let n = 0;
    for (const s of this.sources) n += s.size;
    return n;
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
    const src = this.sources;
    const n = src.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      const ip = src[i].tryReceive();
      if (ip !== undefined) {
        this.next = (i + 1) % n;
        return ip;
      }
    }
    return undefined;
  }

  waitNonEmpty(w: Waiter): void {
    this.waiter = w;
    this.register();
  }

  /**
   * Register with every source that can still deliver. A source that is closed and empty
   * would wake us at once for nothing; when every source is like that, the FanIn is closed
   * and the box is woken to see the end of stream.
   */
  private register(): void {
    if (this.size > 0 || this.closed) {
      const w = this.waiter!;
      this.waiter = null;
      w.wake();
      return;
    }
    for (const s of this.sources) {
      if (this.waiter === null) return;
      if (s.closed && s.size === 0) continue;
      s.waitNonEmpty(this);
    }
    // A source on another thread may have published or closed between the check above and
    // its registration, after which it has nobody to wake: look once more.
    if (this.waiter !== null && (this.size > 0 || this.closed)) {
      const w = this.waiter;
      this.waiter = null;
      w.wake();
    }
  }

  /** Waiter: one of the sources moved. */
  wake(): void {
    if (this.waiter === null) return;
    this.register();
  }

  closeReceiver(discard?: (ip: P) => void): number {
    if (this.closedEarly) return 0;
    this.closedEarly = true;
    let n = 0;
    for (const s of this.sources) n += s.closeReceiver(discard);
    return n;
  }
}
