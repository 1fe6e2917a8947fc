/**
 * Shared queue: one producer, many consumers, in one SharedArrayBuffer: the queue that the
 * replicas of a parallel node all take from, whichever worker runs them, so that an idle
 * scheduler takes the next IP (the seed's shared run queue).
 *
 * Layout (Int32 words, then slots):
 *   [0]  tail: producer position (written by the producer only)
 *   [16] head: next position to take (consumers CAS it forward)
 *   [32] senderClosed   [33] receivers still open
 *   [48] txWaiting (the producer wants a doorbell when a slot frees)
 *   [64 + w] rxWaiting of worker w (a consumer there wants a doorbell when a record arrives)
 *   slots from byte SLOTS_AT: `slots` (a power of two) slots of `slotBytes` bytes each:
 *     Int32 seq, Int32 header (kind | flags | len << 5, as in ring.ts), Int32 span, Int32 count
 *     (the record's number in the stream: 0, 1, 2, ...), payload.
 *
 * Protocol (bounded queue with a sequence word per slot): slot p & mask is free for
 * position p when seq == p; the producer writes it and stores seq = p + 1 (published); the
 * consumer that moves head from p (CAS) reads it and stores seq = p + slots (free for the next
 * lap). A record larger than one slot's payload spans `span` consecutive slots (never across
 * the end: the producer pads to the end with a record of kind 0 that consumers skip); its
 * first slot is published last, so a consumer that sees it sees the whole record. Positions
 * are Int32 and wrap; every comparison is on differences.
 *
 * Each record carries its number in the stream (0, 1, 2, ...; padding has none): consumers
 * take records in that order, which is what restores order downstream of parallel replicas.
 */

import { LEN_SHIFT } from './ring.ts';

export const SLOTS_AT = 512;
const TAIL = 0;
const HEAD = 16;
const SENDER_CLOSED = 32;
const RECEIVERS = 33;
const TX_WAITING = 48;
const RX_WAITING = 64;
const SLOT_HEADER = 16;
export const MAX_QUEUE_WORKERS = (SLOTS_AT >> 2) - RX_WAITING;

export interface QueueInit {
  sab: SharedArrayBuffer;
  slots: number;
  slotBytes: number;
}

/** A queue of at least `capacity` slots of `slotBytes` (payload + 16 header bytes) each. */
export function createQueue(capacity: number, payloadBytes: number, receivers: number): QueueInit {
  let slots = 2;
  while (slots < capacity) slots *= 2;
  const slotBytes = SLOT_HEADER + ((payloadBytes + 7) & ~7);
  const sab = new SharedArrayBuffer(SLOTS_AT + slots * slotBytes);
  const words = new Int32Array(sab);
  for (let i = 0; i < slots; i++) words[(SLOTS_AT + i * slotBytes) >> 2] = i;
  words[RECEIVERS] = receivers;
  return { sab, slots, slotBytes };
}

class QueueBase {
  readonly words: Int32Array;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly slots: number;
  readonly mask: number;
  readonly slotBytes: number;
  /** Payload bytes one slot holds. */
  readonly payload: number;
  constructor(init: QueueInit) {
    this.words = new Int32Array(init.sab);
    this.bytes = new Uint8Array(init.sab);
    this.view = new DataView(init.sab);
    this.slots = init.slots;
    this.mask = init.slots - 1;
    this.slotBytes = init.slotBytes;
    this.payload = init.slotBytes - SLOT_HEADER;
  }
  protected seqIndex(pos: number): number {
    return (SLOTS_AT + (pos & this.mask) * this.slotBytes) >> 2;
  }
  /** Byte offset of the payload of the slot at `pos`. */
  payloadAt(pos: number): number {
    return SLOTS_AT + (pos & this.mask) * this.slotBytes + SLOT_HEADER;
  }
  /** Largest payload one record can have (half the queue, so that a record always fits). */
  get maxRecord(): number {
    return (this.slots >> 1) * this.payload;
  }
  get senderClosed(): boolean {
    return Atomics.load(this.words, SENDER_CLOSED) !== 0;
  }
  get receiverClosed(): boolean {
    return Atomics.load(this.words, RECEIVERS) <= 0;
  }
  /** Records published and not yet taken (approximate while others move). */
  size(): number {
    return Math.max(0, (Atomics.load(this.words, TAIL) - Atomics.load(this.words, HEAD)) | 0);
  }
}

export class QueueProducer extends QueueBase {
  private tail = 0;

  /** Slots needed for a payload of `len` bytes. */
  spanOf(len: number): number {
    return len <= this.payload ? 1 : Math.ceil(len / this.payload);
  }

  /** Whether `span` slots from the tail are free (padding to the end included). */
  hasRoom(span: number): boolean {
    const toEnd = this.slots - (this.tail & this.mask);
    const need = span <= toEnd ? span : toEnd + span;
    for (let i = 0; i < need; i++) {
      const p = (this.tail + i) | 0;
      if (Atomics.load(this.words, this.seqIndex(p)) !== p) return false;
    }
    return true;
  }

  /**
   * Publish a record: `write(offset, chunkStart, chunkLen)` copies each slot's part of the
   * payload. Call only after hasRoom(spanOf(len)). Returns the record's number.
   */
  publish(kind: number, flags: number, len: number, write: (offset: number, from: number, n: number) => void): number {
    const span = this.spanOf(len);
    const toEnd = this.slots - (this.tail & this.mask);
    if (span > toEnd) {
      // Padding record to the end of the slots: consumers skip it.
      this.put(this.tail, 0, toEnd, -1);
      this.tail = (this.tail + toEnd) | 0;
    }
    const start = this.tail;
    for (let i = span - 1; i >= 1; i--) {
      const p = (start + i) | 0;
      write(this.payloadAt(p), i * this.payload, Math.min(this.payload, len - i * this.payload));
      Atomics.store(this.words, this.seqIndex(p), (p + 1) | 0);
    }
    write(this.payloadAt(start), 0, Math.min(this.payload, len));
    const n = this.count;
    this.count = (n + 1) | 0;
    this.put(start, kind | flags | (len << LEN_SHIFT), span, n);
    this.tail = (start + span) | 0;
    Atomics.store(this.words, TAIL, this.tail);
    return n;
  }
  /** Records published so far: the next record's number. */
  private count = 0;

  private put(pos: number, header: number, span: number, count: number): void {
    const si = this.seqIndex(pos);
    this.words[si + 1] = header;
    this.words[si + 2] = span;
    this.words[si + 3] = count;
    Atomics.store(this.words, si, (pos + 1) | 0);
  }

  /** After publishing: the workers whose consumers asked for a doorbell (flags cleared). */
  takeRxWaiting(workers: number, ring: (w: number) => void): void {
    for (let w = 0; w < workers; w++) {
      if (Atomics.load(this.words, RX_WAITING + w) !== 0 && Atomics.exchange(this.words, RX_WAITING + w, 0) !== 0) ring(w);
    }
  }
  setTxWaiting(): void {
    Atomics.store(this.words, TX_WAITING, 1);
  }
  clearTxWaiting(): void {
    Atomics.store(this.words, TX_WAITING, 0);
  }
  close(): void {
    Atomics.store(this.words, SENDER_CLOSED, 1);
  }
}

/** What a consumer took: where the payload is (or the copy of a multi-slot one). */
export interface Taken {
  /** The record's number in the stream (0, 1, 2, ...: what orders a parallel node's outputs). */
  seq: number;
  /** Its first slot's position. */
  pos: number;
  header: number;
  /** The payload when it spanned several slots (copied out), else null: read at `offset`. */
  copy: Uint8Array | null;
  offset: number;
}

export class QueueConsumer extends QueueBase {
  private readonly taken: Taken = { seq: 0, pos: 0, header: 0, copy: null, offset: 0 };

  /**
   * Take the next record, or return null when there is none now. The payload must be read
   * before release() is called (the producer may reuse the slots after it).
   */
  take(): Taken | null {
    const w = this.words;
    for (;;) {
      const h = Atomics.load(w, HEAD);
      const si = this.seqIndex(h);
      const seq = Atomics.load(w, si);
      const d = (seq - ((h + 1) | 0)) | 0;
      if (d < 0) return null; // not published yet: empty
      if (d > 0) continue; // another consumer moved on meanwhile
      const header = w[si + 1];
      const span = w[si + 2];
      if (Atomics.compareExchange(w, HEAD, h, (h + span) | 0) !== h) continue;
      if (header === 0) {
        this.release(h, span);
        continue;
      }
      const t = this.taken;
      t.pos = h;
      t.seq = w[si + 3];
      t.header = header;
      const len = header >>> LEN_SHIFT;
      if (span === 1) {
        t.copy = null;
        t.offset = this.payloadAt(h);
      } else {
        const copy = new Uint8Array(len);
        for (let i = 0; i < span; i++) {
          const at = this.payloadAt((h + i) | 0);
          const n = Math.min(this.payload, len - i * this.payload);
          copy.set(this.bytes.subarray(at, at + n), i * this.payload);
        }
        t.copy = copy;
        t.offset = 0;
      }
      this.pendingSpan = span;
      return t;
    }
  }
  private pendingSpan = 0;

  /** Free the slots of the record taken last (or of `span` slots at `pos`). */
  release(pos = this.taken.pos, span = this.pendingSpan): void {
    for (let i = 0; i < span; i++) {
      const p = (pos + i) | 0;
      Atomics.store(this.words, this.seqIndex(p), (p + this.slots) | 0);
    }
  }

  takeTxWaiting(): boolean {
    return Atomics.load(this.words, TX_WAITING) !== 0 && Atomics.exchange(this.words, TX_WAITING, 0) !== 0;
  }
  setRxWaiting(worker: number): void {
    Atomics.store(this.words, RX_WAITING + worker, 1);
  }
  clearRxWaiting(worker: number): void {
    Atomics.store(this.words, RX_WAITING + worker, 0);
  }
  /** One consumer closed its end; true when it was the last one open. */
  closeOne(): boolean {
    return Atomics.sub(this.words, RECEIVERS, 1) === 1;
  }
}
