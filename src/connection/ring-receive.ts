/**
 * The receiving end of a shared-memory ring (see shared-ring.ts for the protocol): decodes
 * records into fresh packets, reassembles fragments, reads the input numbers of an ordered
 * parallel node's outputs (peekSeq, for OrderedMerge), and closes early on behalf of its box.
 */
import type { Codec } from '../shm/codec.ts';
import { F_FRAG, F_NOGROUP, F_SEQ, K_DATA, LEN_SHIFT, RingReader, type RingInit } from '../shm/ring.ts';
import type { ReceiveEnd, Waiter } from './connection.ts';
import { batchFor, type Flushable, type PacketIO, type PacketKind, type RingHost } from './shared-ring.ts';

const fromUtf8 = new TextDecoder();
const KINDS: PacketKind[] = ['data', 'data', 'open', 'close'];

export class RingReceiveEnd<P> implements ReceiveEnd<P>, Flushable {
  readonly capacity: number;
  private readonly r: RingReader;
  private readonly batch: number;
  /** Records consumed and not given back (publishHead). */
  private pending = 0;
  private listed = false;
  private waiter: Waiter | null = null;
  private watching = false;
  /** Fragments of a record being reassembled. */
  private acc: Uint8Array | null = null;
  private accLen = 0;
  private discardedAtClose = -1;
  /** The most IPs seen waiting at a receive (a lower bound of the true maximum). */
  private fillSeen = 0;

  constructor(
    init: RingInit,
    private readonly codec: Codec,
    private readonly io: PacketIO<P>,
    private readonly host: RingHost,
    /** The sending worker. */
    private readonly peer: number,
  ) {
    this.r = new RingReader(init);
    this.capacity = init.capacity;
    this.batch = batchFor(init.capacity);
  }

  /** Give back the room of what was consumed; wake a sender waiting for room if there is any. */
  flush(): void {
    this.listed = false;
    this.giveBack(true);
  }

  /**
   * Publish the head. A waiting sender is woken when the ring is at most half full, or on
   * `always` (a flush, or the ring found empty) if any room was made at all.
   */
  private giveBack(always: boolean): void {
    const r = this.r;
    if (this.pending > 0) {
      this.pending = 0;
      r.publishHead();
    }
    if (!always && r.knownFill > this.capacity >> 1) return;
    if (r.takeTxWaiting()) this.host.ring(this.peer);
  }

  private consumed(): void {
    if (!this.listed) {
      this.listed = true;
      this.host.dirty(this);
    }
    if (++this.pending >= this.batch) this.giveBack(false);
  }

  get size(): number {
    if (this.discardedAtClose >= 0) return 0;
    return this.r.available();
  }
  get closed(): boolean {
    return this.r.senderClosed;
  }
  get receiverClosed(): boolean {
    return this.discardedAtClose >= 0;
  }
  get carried(): number {
    return this.r.ipsRead;
  }
  get maxFill(): number {
    return Math.max(this.fillSeen, this.size);
  }
  /** IPs the sender published after this end closed (dropped; counted at the end). */
  lateDiscards(): number {
    if (this.discardedAtClose < 0) return 0;
    return (this.r.ipsPublished() - this.r.ipsRead) >>> 0;
  }

  tryReceive(): P | undefined {
    const r = this.r;
    for (;;) {
      if (!r.hasRecord()) {
        // Empty: the sender must know all the room there is before this side waits.
        this.giveBack(true);
        return undefined;
      }
      const fill = r.cachedAvailable;
      if (fill > this.fillSeen) this.fillSeen = fill;
      const h = r.peekHeader();
      const off = r.payloadOffset;
      const len = h >>> LEN_SHIFT;
      if ((h & F_FRAG) !== 0) {
        this.append(r.bytes.subarray(off, off + len));
        r.consume(len, false);
        this.notify();
        continue;
      }
      const kind = h & 3;
      let bytes = r.bytes;
      let view = r.view;
      let at = off;
      let n = len;
      if (this.acc !== null) {
        this.append(r.bytes.subarray(off, off + len));
        bytes = this.acc.subarray(0, this.accLen);
        view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
        this.acc = null;
        this.accLen = 0;
        at = 0;
        n = bytes.length;
      }
      if ((h & F_SEQ) !== 0) {
        this.lastSeq = view.getUint32(at, true);
        at += 4;
        n -= 4;
      }
      let value: unknown;
      if (kind === K_DATA) value = this.codec.read(view, bytes, at, n);
      else value = (h & F_NOGROUP) !== 0 ? undefined : fromUtf8.decode(bytes.subarray(at, at + n));
      r.consume(len, true);
      this.consumed();
      return this.io.make(KINDS[kind], value);
    }
  }

  /** The number carried by the record received last (ordered outputs only). */
  lastSeq = -1;

  /**
   * The number carried by the next whole record (ordered outputs: F_SEQ), or -1 when no whole
   * record is there yet. Fragments met on the way are taken in, as in ready().
   */
  peekSeq(): number {
    const r = this.r;
    while (r.hasRecord()) {
      const h = r.peekHeader();
      const off = r.payloadOffset;
      if ((h & F_FRAG) !== 0) {
        this.append(r.bytes.subarray(off, off + (h >>> LEN_SHIFT)));
        r.consume(h >>> LEN_SHIFT, false);
        this.notify();
        continue;
      }
      if ((h & F_SEQ) === 0) return -1;
      if (this.acc !== null) return new DataView(this.acc.buffer, this.acc.byteOffset, 4).getUint32(0, true);
      return r.view.getUint32(off, true);
    }
    return -1;
  }

  private append(part: Uint8Array): void {
    const need = this.accLen + part.length;
    if (this.acc === null || this.acc.length < need) {
      const next = new Uint8Array(Math.max(need, this.acc === null ? 0 : this.acc.length * 2));
      if (this.acc !== null) next.set(this.acc.subarray(0, this.accLen));
      this.acc = next;
    }
    this.acc.set(part, this.accLen);
    this.accLen = need;
  }

  /** After taking in a fragment: give its room back at once (fragments are big). */
  private notify(): void {
    this.pending++;
    this.giveBack(true);
  }

  /**
   * Something for a waiting receiver: a whole record or the close. Fragments met on the way
   * are taken into the reassembly buffer here (making room for the sender) without waking
   * the box, which would find nothing to receive.
   */
  private ready(): boolean {
    const r = this.r;
    while (r.hasRecord()) {
      const h = r.peekHeader();
      if ((h & F_FRAG) === 0) return true;
      const off = r.payloadOffset;
      const len = h >>> LEN_SHIFT;
      this.append(r.bytes.subarray(off, off + len));
      r.consume(len, false);
      this.notify();
    }
    // Whole IPs by the IP counter, which the writer publishes after the bytes: what
    // `size` says, so that a fan-in never sees "ready" with a size of 0.
    return r.available() > 0 || r.senderClosed;
  }

  waitNonEmpty(waiter: Waiter): void {
    if (this.ready()) {
      waiter.wake();
      return;
    }
    this.waiter = waiter;
    this.r.setRxWaiting();
    if (this.ready()) {
      this.r.clearRxWaiting();
      this.waiter = null;
      waiter.wake();
      return;
    }
    if (!this.watching) {
      this.watching = true;
      this.host.watch(this);
    }
  }

  poll(): boolean {
    const wt = this.waiter;
    if (wt === null) {
      this.watching = false;
      return true;
    }
    if (!this.ready()) {
      this.r.setRxWaiting();
      if (!this.ready()) return false;
    }
    this.r.clearRxWaiting();
    this.waiter = null;
    this.watching = false;
    wt.wake();
    return true;
  }

  closeReceiver(): number {
    if (this.discardedAtClose >= 0) return 0;
    this.r.close();
    const n = this.codec.release === undefined ? this.r.discardAll() : this.releaseQueued();
    this.acc = null;
    this.discardedAtClose = n;
    // A sender blocked on "full" must learn that its sends now fail.
    this.r.takeTxWaiting();
    this.host.ring(this.peer);
    return n;
  }

  // --- arena hook (shm/arena-views.ts): kept apart from the ring protocol above ----------
  /**
   * closeReceiver for a codec whose values hold arena blocks: instead of skipping the queued
   * records, decode each and hand its value to the codec's release(). Whole IPs, as discardAll.
   */
  private releaseQueued(): number {
    let n = 0;
    for (let p = this.tryReceive(); p !== undefined; p = this.tryReceive()) {
      if (this.io.kindOf(p) === 'data') this.codec.release!(this.io.valueOf(p));
      n++;
    }
    return n;
  }
}
