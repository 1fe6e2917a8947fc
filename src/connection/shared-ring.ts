/**
 * Connection ends over a shared-memory ring (shm/ring.ts), for a connection whose sender and
 * receiver run on different worker threads. RingSendEnd lives on the sender's thread,
 * RingReceiveEnd on the receiver's; they implement the same SendEnd / ReceiveEnd as a
 * LocalConnection, so ports and boxes do not know which one they hold.
 *
 * Values cross as bytes: the codec of the connection writes machine types in place and
 * encodes other values (msgpackr); the receiver decodes into a fresh packet. A record too large
 * to sit in the ring whole is *staged*: the send is accepted (the IP now belongs to the
 * connection) and its fragments go out as the reader makes room; until the last one is out
 * the connection counts as full, and closing the sender waits for it.
 *
 * Waking across threads: a box that must wait registers its Waiter here; the end asks the
 * other side for a doorbell (ring.ts's rx/txWaiting flags, with the re-check), and asks its
 * own worker (RingHost) to poll it whenever this worker's bell rings. poll() fires the Waiter
 * once the wait is over (or the other side closed) and then stops being polled.
 *
 * Batches: an end publishes its counter (ring.ts publish / publishHead) once per `batch`
 * records (receiver: half the capacity, sender: a quarter, at most 32; a non-looper's sends one
 * by one below SMALL_RING), when its box is about to take its next input (sender:
 * publishPending), and always before it reports "full" (sender) or "empty" (receiver), before
 * the sender closes, and when its worker flushes (RingHost.dirty: in a microtask after the code
 * that moved it, at every scheduler turn and before the worker sleeps). A receiver wakes a
 * sender waiting for room only once the ring is at most half full (or at a flush, if there is
 * any room): one wake-up per half ring instead of one per IP.
 * So nothing stays unpublished while its worker sleeps, and a box never waits on a
 * connection that has what it waits for without a doorbell on its way.
 */
import type { Codec } from '../shm/codec.ts';
import { F_FRAG, F_NOGROUP, F_SEQ, K_CLOSE, K_DATA, K_OPEN, RingWriter, type RingInit } from '../shm/ring.ts';
import type { ReceiveEnd, SendEnd, Waiter } from './connection.ts';

export type PacketKind = 'data' | 'open' | 'close';

/** What a worker gives its ring ends. */
export interface RingHost {
  /** Ring worker `w`'s doorbell. */
  ring(worker: number): void;
  /** Call `end.poll()` each time this worker's bell rings, until it returns true. */
  watch(end: { poll(): boolean }): void;
  /** Call `end.flush()` soon: in a microtask, at the next scheduler turn or before sleeping. */
  dirty(end: Flushable): void;
}

/** An end holding counters it has not published yet. */
export interface Flushable {
  flush(): void;
}

/** Records per publication: half the capacity (so the other side can work on the first half
 * while this side fills the second), at most 32, at least 1. */
export const batchFor = (capacity: number): number => Math.max(1, Math.min(32, capacity >> 1));

/**
 * Records per publication on the sending side: a quarter of the capacity, at most 32. Half, as
 * the receiver gives room back, kept a capacity-10 ring in lockstep whenever the receiver was
 * the slower side: the sender waited for room after every batch (objects −35%); a quarter keeps
 * the gain on f64 (docs/design.md). A box publishes what it sent before it takes its next input
 * as well (scheduler/ports.ts publishRingOuts), so batching never holds back a box's outputs
 * while it works on its next input.
 */
export const sendBatchFor = (capacity: number): number => Math.max(1, Math.min(32, capacity >> 2));

/**
 * Below this capacity only a looper's sends are batched; a non-looper's go out one by one. A
 * parallel stage of non-loopers (one output per call, 20 µs apart) lost 3% with small batches
 * even though each call's output was published when the call returned (2 workers, 3 × 2
 * interleaved runs of 5: 86.7–91.0 k against 89.5–93.0 k IPs/s), and a non-looper that sends one
 * IP per call gains nothing from them. Sources and other loopers keep the gain.
 */
export const SMALL_RING = 64;

/** How the ends see packets: read kind and value, make a received one. */
export interface PacketIO<P> {
  kindOf(p: P): PacketKind;
  valueOf(p: P): unknown;
  make(kind: PacketKind, value: unknown): P;
}

const utf8 = new TextEncoder();

export class RingSendEnd<P> implements SendEnd<P>, Flushable {
  readonly capacity: number;
  private readonly w: RingWriter;
  private readonly batch: number;
  /** Records committed and not published. */
  private pending = 0;
  /** On the host's dirty list. */
  private listed = false;
  private waiter: Waiter | null = null;
  /** A record going out in fragments, and how much of it is out. */
  private staged: Uint8Array | null = null;
  private stagedKind = 0;
  private stagedAt = 0;
  private closeWhenFlushed = false;
  private closed = false;
  /** Bytes the last refused record needed (what "non-full" means for the waiter). */
  private wantBytes = 0;
  private watching = false;

  constructor(
    init: RingInit,
    private readonly codec: Codec,
    private readonly io: PacketIO<P>,
    private readonly host: RingHost,
    /** The receiving worker. */
    private readonly peer: number,
    /**
     * Outputs of an ordered parallel replica: every record starts with the number of the
     * input being processed (F_SEQ), read from here at each send.
     */
    private readonly tag: { seq: number } | null = null,
    /** The sending box is a looper: it may batch below SMALL_RING too. */
    looper = true,
  ) {
    this.w = new RingWriter(init);
    this.capacity = init.capacity;
    // An ordered replica's outputs go out one by one: the replica announces the next input it
    // takes (shm/order.ts) right after, and a merge must never see that before these records.
    this.batch = tag === null && (looper || init.capacity >= SMALL_RING) ? sendBatchFor(init.capacity) : 1;
  }

  /**
   * Publish what was committed, without leaving the host's dirty list (the box's own
   * boundary: it is about to take its next input; scheduler/ports.ts publishRingOuts).
   */
  publishPending(): void {
    if (this.pending === 0) return;
    this.pending = 0;
    this.w.publish();
    if (this.w.takeRxWaiting()) this.host.ring(this.peer);
  }

  /** Publish what was committed and ring the reader if it waits. */
  flush(): void {
    this.listed = false;
    if (this.pending === 0) return;
    this.pending = 0;
    this.w.publish();
    if (this.w.takeRxWaiting()) this.host.ring(this.peer);
  }

  private committed(): void {
    if (++this.pending >= this.batch) {
      this.pending = 0;
      this.w.publish();
      if (this.w.takeRxWaiting()) this.host.ring(this.peer);
    } else if (!this.listed) {
      this.listed = true;
      this.host.dirty(this);
    }
  }

  /** Before saying "full": the reader must see everything, or it may wait for it forever. */
  private full(): number {
    this.flush();
    return 0;
  }

  get receiverClosed(): boolean {
    return this.w.receiverClosed;
  }
  /** IPs in the ring as far as this side knows. */
  get size(): number {
    return this.w.fillEstimate;
  }
  get carried(): number {
    return this.w.ipsWritten;
  }
  /** True while a staged record still has fragments to write. */
  get flushing(): boolean {
    return this.staged !== null;
  }

  offer(p: P): number {
    const kind = this.io.kindOf(p);
    const value = this.io.valueOf(p);
    if (kind === 'data') return this.offerData(value);
    const w = this.w;
    if (w.receiverClosed) return -1;
    if (this.staged !== null || !w.hasIpRoom()) return this.full();
    const group = value === undefined ? EMPTY : utf8.encode(String(value));
    return this.put(kind === 'open' ? K_OPEN : K_CLOSE, value === undefined ? F_NOGROUP : 0, group, 0, group.length);
  }

  /**
   * offer() of a data IP given by its value alone: the bytes are all that crosses, so a box
   * that emits a value needs no packet for it (scheduler/ports.ts, emit).
   */
  offerData(value: unknown): number {
    const w = this.w;
    if (w.receiverClosed) return -1;
    if (this.staged !== null || !w.hasIpRoom()) return this.full();
    const codec = this.codec;
    if (codec.fixedSize >= 0) {
      const tag = this.tag;
      const pre = tag === null ? 0 : 4;
      const off = w.reserve(codec.fixedSize + pre);
      if (off < 0) {
        this.wantBytes = codec.fixedSize + pre;
        return this.full();
      }
      if (tag !== null) w.view.setUint32(off, tag.seq, true);
      codec.write(value, w.view, off + pre);
      w.commit(K_DATA, tag === null ? 0 : F_SEQ, codec.fixedSize + pre, true);
      this.committed();
      return 1;
    }
    const buf = codec.encodeRange(value);
    return this.put(K_DATA, 0, buf, codec.encodedStart, codec.encodedEnd);
  }

  /** Write bytes[start, end) as one record (or stage it, when too large for the ring). */
  private put(kind: number, flags: number, bytes: Uint8Array, start: number, end: number): number {
    const w = this.w;
    const tag = this.tag;
    const pre = tag === null ? 0 : 4;
    const len = end - start + pre;
    if (tag !== null) flags |= F_SEQ;
    if (len > w.maxRecord) {
      const rec = new Uint8Array(len);
      if (tag !== null) new DataView(rec.buffer).setUint32(0, tag.seq, true);
      rec.set(bytes.subarray(start, end), pre);
      this.staged = rec;
      this.stagedKind = kind;
      this.stagedFlags = flags;
      this.stagedAt = 0;
      this.pump();
      if (this.staged !== null) this.askForRoom();
      return 1;
    }
    const off = w.reserve(len);
    if (off < 0) {
      this.wantBytes = len;
      return this.full();
    }
    if (tag !== null) w.view.setUint32(off, tag.seq, true);
    if (end - start <= COPY_LOOP_MAX) {
      const to = w.bytes;
      for (let i = start, o = off + pre; i < end; i++, o++) to[o] = bytes[i];
    } else {
      w.bytes.set(bytes.subarray(start, end), off + pre);
    }
    w.commit(kind, flags, len, true);
    this.committed();
    return 1;
  }
  private stagedFlags = 0;

  /** Write as many fragments of the staged record as fit. */
  private pump(): void {
    const w = this.w;
    const rec = this.staged!;
    while (this.stagedAt < rec.length) {
      if (w.receiverClosed) {
        this.staged = null;
        break;
      }
      const n = Math.min(w.maxRecord, rec.length - this.stagedAt);
      const off = w.reserve(n);
      if (off < 0) break;
      w.bytes.set(rec.subarray(this.stagedAt, this.stagedAt + n), off);
      this.stagedAt += n;
      const last = this.stagedAt === rec.length;
      w.commit(this.stagedKind, last ? this.stagedFlags : F_FRAG, n, last);
      this.pending++;
      this.flush(); // fragments go out one by one: each is big
    }
    if (this.staged !== null && this.stagedAt === rec.length) this.staged = null;
    if (this.staged !== null) this.wantBytes = Math.min(w.maxRecord, rec.length - this.stagedAt);
    if (this.staged === null && this.closeWhenFlushed) this.finishClose();
  }

  private nonFull(): boolean {
    const w = this.w;
    if (w.receiverClosed) return true;
    if (this.staged !== null) return false;
    if (!w.hasIpRoom()) return false;
    return w.hasByteRoom(this.wantBytes);
  }

  waitNonFull(waiter: Waiter): void {
    if (this.nonFull()) {
      waiter.wake();
      return;
    }
    this.waiter = waiter;
    this.askForRoom();
  }

  /** Ask the reader for a doorbell, re-check, and have this worker poll us. */
  private askForRoom(): void {
    this.w.setTxWaiting();
    if (this.staged !== null) this.pump();
    if (this.staged === null && this.nonFull() && this.waiter !== null) {
      this.w.clearTxWaiting();
      const wt = this.waiter;
      this.waiter = null;
      wt.wake();
      return;
    }
    if (!this.watching) {
      this.watching = true;
      this.host.watch(this);
    }
  }

  /** Called by the host when this worker's bell rang: true when nothing more is awaited. */
  poll(): boolean {
    if (this.staged !== null) this.pump();
    if (this.staged !== null) {
      this.w.setTxWaiting();
      this.pump();
      if (this.staged !== null) return false;
    }
    const wt = this.waiter;
    if (wt !== null) {
      if (!this.nonFull()) {
        this.w.setTxWaiting();
        if (!this.nonFull()) return false;
      }
      this.w.clearTxWaiting();
      this.waiter = null;
      wt.wake();
    }
    this.watching = false;
    return true;
  }

  closeSender(): void {
    if (this.closed || this.closeWhenFlushed) return;
    if (this.staged !== null) {
      this.closeWhenFlushed = true;
      this.askForRoom();
      return;
    }
    this.finishClose();
  }

  private finishClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush(); // the close follows the last record: a reader that sees it has everything
    this.w.close();
    // The reader may be asleep on "empty": closing is news it must see.
    this.w.takeRxWaiting();
    this.host.ring(this.peer);
  }
}

const EMPTY = new Uint8Array(0);
/**
 * Payloads up to this many bytes are copied into the ring by a loop: for a small record that
 * is cheaper than a view and TypedArray.prototype.set (docs/performance.md).
 */
const COPY_LOOP_MAX = 64;

export { RingReceiveEnd } from './ring-receive.ts';
