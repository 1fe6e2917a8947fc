/**
 * Connection ends over a shared queue (shm/mpmc.ts): the one producer is the out-port that
 * feeds a parallel node; every replica of that node, on whatever worker, holds a receive end,
 * and each receive takes the next IP whoever gets there first. Order between replicas is not
 * kept (a parallel node is unordered unless the graph asks for `ordered`).
 *
 * Values cross as in shared-ring.ts (the same codecs), but a record must fit half the queue:
 * a larger value is refused with E_ENCODE naming the connection (raise the edge's capacity to
 * make the queue larger).
 *
 * Waking: a consumer that waits flags its own worker in the queue, re-checks, and has its
 * worker poll it; the producer rings every flagged worker after it publishes (and when it
 * closes). A consumer that frees a slot rings the producer's worker when it asked.
 */
import { WeftError } from '../errors.ts';
import type { Codec } from '../shm/codec.ts';
import { QueueConsumer, QueueProducer, type QueueInit } from '../shm/mpmc.ts';
import type { ReplicaState } from '../shm/order.ts';
import { F_NOGROUP, K_CLOSE, K_DATA, K_OPEN, LEN_SHIFT } from '../shm/ring.ts';
import type { InConnection, OutConnection, Waiter } from './connection.ts';
import type { PacketIO, PacketKind, RingHost } from './shared-ring.ts';

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const KINDS: PacketKind[] = ['data', 'data', 'open', 'close'];
const EMPTY = new Uint8Array(0);

export class QueueSendEnd<P> implements OutConnection<P> {
  readonly capacity: number;
  private readonly q: QueueProducer;
  private waiter: Waiter | null = null;
  private watching = false;
  private wantSpan = 1;
  private closed = false;
  private sent = 0;

  constructor(
    init: QueueInit,
    private readonly codec: Codec,
    private readonly io: PacketIO<P>,
    private readonly host: RingHost,
    /** Worker count (the consumers may be on any of them). */
    private readonly workers: number,
    private readonly where: string,
  ) {
    this.q = new QueueProducer(init);
    this.capacity = init.slots;
  }

  get receiverClosed(): boolean {
    return this.q.receiverClosed;
  }
  get size(): number {
    return this.q.size();
  }
  get carried(): number {
    return this.sent;
  }

  offer(p: P): number {
    const q = this.q;
    if (q.receiverClosed) return -1;
    const kind = this.io.kindOf(p);
    const value = this.io.valueOf(p);
    let k = K_DATA;
    let flags = 0;
    let bytes: Uint8Array | null = null;
    let len: number;
    if (kind !== 'data') {
      k = kind === 'open' ? K_OPEN : K_CLOSE;
      if (value === undefined) flags = F_NOGROUP;
      bytes = value === undefined ? EMPTY : utf8.encode(String(value));
      len = bytes.length;
    } else if (this.codec.fixedSize >= 0) {
      len = this.codec.fixedSize;
    } else {
      bytes = this.codec.encode(value);
      len = bytes.length;
    }
    if (len > q.maxRecord) {
      throw new WeftError('E_ENCODE', `a value of ${len} bytes is too large for the shared queue of ${this.where} (at most ${q.maxRecord} bytes with capacity ${this.capacity}; give the edge a larger capacity)`);
    }
    const span = q.spanOf(len);
    if (!q.hasRoom(span)) {
      this.wantSpan = span;
      return 0;
    }
    if (bytes === null) {
      const codec = this.codec;
      q.publish(k, flags, len, (off) => codec.write(value, q.view, off));
    } else {
      const src = bytes;
      q.publish(k, flags, len, (off, from, n) => q.bytes.set(src.subarray(from, from + n), off));
    }
    this.sent++;
    q.takeRxWaiting(this.workers, (w) => this.host.ring(w));
    return 1;
  }

  private nonFull(): boolean {
    return this.q.receiverClosed || this.q.hasRoom(this.wantSpan);
  }

  waitNonFull(waiter: Waiter): void {
    if (this.nonFull()) {
      waiter.wake();
      return;
    }
    this.waiter = waiter;
    this.q.setTxWaiting();
    if (this.nonFull()) {
      this.q.clearTxWaiting();
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
    if (wt !== null) {
      if (!this.nonFull()) {
        this.q.setTxWaiting();
        if (!this.nonFull()) return false;
      }
      this.q.clearTxWaiting();
      this.waiter = null;
      wt.wake();
    }
    this.watching = false;
    return true;
  }

  closeSender(): void {
    if (this.closed) return;
    this.closed = true;
    this.q.close();
    // Every waiting consumer must see the end of stream: ring them all.
    for (let w = 0; w < this.workers; w++) this.host.ring(w);
  }
}

export class QueueReceiveEnd<P> implements InConnection<P> {
  readonly capacity: number;
  private readonly q: QueueConsumer;
  private waiter: Waiter | null = null;
  private watching = false;
  private closedHere = false;
  private got = 0;
  private fillSeen = 0;

  constructor(
    init: QueueInit,
    private readonly codec: Codec,
    private readonly io: PacketIO<P>,
    private readonly host: RingHost,
    /** This consumer's worker, and the producer's. */
    private readonly self: number,
    private readonly producer: number,
    /**
     * Replica of an ordered parallel node: its state for the merge downstream, and the tag its
     * output rings read the current input's number from.
     */
    private readonly order: { state: ReplicaState; tag: { seq: number } } | null = null,
  ) {
    this.q = new QueueConsumer(init);
    this.capacity = init.slots;
  }

  get size(): number {
    return this.closedHere ? 0 : this.q.size();
  }
  get closed(): boolean {
    return this.q.senderClosed;
  }
  get receiverClosed(): boolean {
    return this.closedHere;
  }
  get carried(): number {
    return this.got;
  }
  get maxFill(): number {
    return this.fillSeen;
  }

  tryReceive(): P | undefined {
    if (this.closedHere) return undefined;
    const q = this.q;
    const fill = q.size();
    if (fill > this.fillSeen) this.fillSeen = fill;
    const order = this.order;
    if (order !== null) order.state.beforeTake();
    const t = q.take();
    if (t === null) {
      if (order !== null) order.state.idle(this.ringFn);
      return undefined;
    }
    if (order !== null) {
      order.state.took(t.seq);
      order.tag.seq = t.seq;
      order.state.notify(this.ringFn);
    }
    const kind = t.header & 3;
    const len = t.header >>> LEN_SHIFT;
    const bytes = t.copy ?? q.bytes;
    const view = t.copy === null ? q.view : new DataView(t.copy.buffer);
    let value: unknown;
    if (kind === K_DATA) value = this.codec.read(view, bytes, t.offset, len);
    else value = (t.header & F_NOGROUP) !== 0 ? undefined : fromUtf8.decode(bytes.subarray(t.offset, t.offset + len));
    q.release();
    if (q.takeTxWaiting()) this.host.ring(this.producer);
    this.got++;
    return this.io.make(KINDS[kind], value);
  }

  private ready(): boolean {
    return this.q.size() > 0 || this.q.senderClosed;
  }
  private readonly ringFn = (w: number) => this.host.ring(w);

  waitNonEmpty(waiter: Waiter): void {
    if (this.ready()) {
      waiter.wake();
      return;
    }
    this.waiter = waiter;
    this.q.setRxWaiting(this.self);
    if (this.ready()) {
      this.q.clearRxWaiting(this.self);
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
      this.q.setRxWaiting(this.self);
      if (!this.ready()) return false;
    }
    this.waiter = null;
    this.watching = false;
    wt.wake();
    return true;
  }

  /**
   * This replica stops taking. The queue stays open for the other replicas; the last one to
   * close discards what is left (returned, counted as dropped; arena blocks are freed) and
   * the producer's sends fail.
   */
  closeReceiver(): number {
    if (this.closedHere) return 0;
    this.closedHere = true;
    if (!this.q.closeOne()) return 0;
    let n = 0;
    const codec = this.codec;
    const thrown: unknown[] = [];
    for (let t = this.q.take(); t !== null; t = this.q.take()) {
      // A value holding an arena block (the shared layout) is decoded to be released.
      if (codec.release !== undefined && (t.header & 3) === K_DATA) {
        const view = t.copy === null ? this.q.view : new DataView(t.copy.buffer);
        thrown.push(codec.read(view, t.copy ?? this.q.bytes, t.offset, t.header >>> LEN_SHIFT));
      }
      this.q.release();
      n++;
    }
    this.host.ring(this.producer);
    for (const v of thrown) codec.release!(v);
    return n;
  }
}
