/**
 * Ring: a single-producer single-consumer queue of records in one SharedArrayBuffer, between
 * two threads. It knows bytes and record headers only; what a payload means is the codec's
 * business (connection/shared-ring.ts puts IPs on top).
 *
 * Layout (byte offsets):
 *   0    control words, Int32, each group on its own 64-byte cache line:
 *          [0] tailBytes  [1] tailIps                 (written by the writer)
 *          [16] headBytes [17] headIps                (written by the reader)
 *          [32] rxWaiting: the reader is blocked on "empty" and wants a doorbell
 *          [48] txWaiting: the writer is blocked on "full" and wants a doorbell
 *          [64] senderClosed  [80] receiverClosed     (read at every send: kept apart from
 *                                                      the counters, which move all the time)
 *   384  data: `size` bytes, a power of two; records are 4-byte aligned.
 *
 * A record is a 4-byte header then the payload, padded to 4: header = kind | flags | len << 5.
 * A header of 0 is padding: the rest of the data area up to its end is skipped (a record never
 * wraps; every real record has a kind of 1..3, so its header is never 0). FRAG marks a fragment of a record too large to sit in the ring whole; the last
 * fragment has no FRAG bit. Only whole records count as IPs (tailIps moves at the last one).
 *
 * Counters are unsigned 32-bit and wrap: fill = (tail - head) >>> 0. Capacity is in IPs
 * (tailIps - headIps ≤ capacity), and bytes bound what is in flight as well.
 *
 * Memory order: a side writes its payload bytes with plain stores, then publishes its counter
 * with Atomics.store (sequentially consistent, so it is a release of everything before it);
 * the other side reads the counter with Atomics.load before reading the bytes. Each side keeps
 * a cached copy of the other's counter and reloads it only when the cache says full/empty.
 *
 * Batching: commit() and consume() move a side's private counters only; publish() (writer) and
 * publishHead() (reader) make them visible. The connection ends decide when (after a batch of
 * records, when full or empty, at the end of a scheduler turn and before their worker sleeps):
 * two seq-cst stores and one cache-line transfer per batch instead of per record. Until a
 * side publishes, the other sees less data (or less room) than there is, never more; capacity
 * is checked against the writer's private count, so it holds whatever is published.
 *
 * Waiting (no lost wake-up): a side that finds the ring empty (full) stores 1 in rxWaiting
 * (txWaiting), then checks the counters again before it sleeps. The other side, after each
 * publication, loads the flag and, when set, clears it and rings the waiter's doorbell. With
 * seq-cst operations on both sides one of the two always sees the other's write.
 */

export const K_PAD = 0;
export const K_DATA = 1;
export const K_OPEN = 2;
export const K_CLOSE = 3;
/** Flag: more fragments of this record follow. */
export const F_FRAG = 4;
/** Flag: a bracket without a group name (undefined, as opposed to ''). */
export const F_NOGROUP = 8;
/** Flag: the payload starts with a u32 sequence number (outputs of an ordered parallel node). */
export const F_SEQ = 16;
/** The payload length sits above the kind and flag bits. */
export const LEN_SHIFT = 5;

const TAIL_BYTES = 0;
const TAIL_IPS = 1;
const HEAD_BYTES = 16;
const HEAD_IPS = 17;
const RX_WAITING = 32;
const TX_WAITING = 48;
const SENDER_CLOSED = 64;
const RECEIVER_CLOSED = 80;
const DATA_START = 384;

export const MIN_RING_BYTES = 256;
export const MAX_RING_BYTES = 1 << 26;

export interface RingInit {
  sab: SharedArrayBuffer;
  capacity: number;
}

/** A fresh ring for `capacity` IPs with a data area of about `bytes` (rounded to a power of two). */
export function createRing(capacity: number, bytes: number): RingInit {
  let size = MIN_RING_BYTES;
  while (size < bytes && size < MAX_RING_BYTES) size *= 2;
  return { sab: new SharedArrayBuffer(DATA_START + size), capacity };
}

const pad4 = (n: number) => (n + 3) & ~3;

class RingBase {
  readonly ctl: Int32Array;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly i32: Int32Array;
  readonly size: number;
  readonly mask: number;
  readonly capacity: number;

  constructor(init: RingInit) {
    this.ctl = new Int32Array(init.sab, 0, DATA_START >> 2);
    this.size = init.sab.byteLength - DATA_START;
    this.mask = this.size - 1;
    this.bytes = new Uint8Array(init.sab, DATA_START, this.size);
    this.view = new DataView(init.sab, DATA_START, this.size);
    this.i32 = new Int32Array(init.sab, DATA_START, this.size >> 2);
    this.capacity = init.capacity;
  }

  /** Largest payload written as one record; bigger ones go in fragments of this size. */
  get maxRecord(): number {
    return (this.size >> 2) - 4;
  }
}

export class RingWriter extends RingBase {
  private tailBytes = 0;
  private tailIps = 0;
  private headBytes = 0;
  private headIps = 0;

  /** IPs in flight as far as the writer knows (an over-estimate while the reader moves on). */
  get fillEstimate(): number {
    return (this.tailIps - this.headIps) >>> 0;
  }
  get ipsWritten(): number {
    return this.tailIps;
  }
  get receiverClosed(): boolean {
    return Atomics.load(this.ctl, RECEIVER_CLOSED) !== 0;
  }
  get senderClosed(): boolean {
    return Atomics.load(this.ctl, SENDER_CLOSED) !== 0;
  }

  /** True when one more whole IP may be started (count below capacity). */
  hasIpRoom(): boolean {
    if (((this.tailIps - this.headIps) >>> 0) < this.capacity) return true;
    this.headIps = Atomics.load(this.ctl, HEAD_IPS) >>> 0;
    return ((this.tailIps - this.headIps) >>> 0) < this.capacity;
  }

  /** Whether a record with a `len`-byte payload fits now (padding to the end included). */
  hasByteRoom(len: number): boolean {
    const need = 4 + pad4(len);
    const toEnd = this.size - (this.tailBytes & this.mask);
    const total = need <= toEnd ? need : toEnd + need;
    if (this.size - ((this.tailBytes - this.headBytes) >>> 0) >= total) return true;
    this.headBytes = Atomics.load(this.ctl, HEAD_BYTES) >>> 0;
    return this.size - ((this.tailBytes - this.headBytes) >>> 0) >= total;
  }

  /**
   * Room for a record with a payload of `len` bytes: the payload's offset in `bytes`, or -1.
   * On success the caller writes the payload there and then calls commit().
   */
  reserve(len: number): number {
    if (!this.hasByteRoom(len)) return -1;
    const need = 4 + pad4(len);
    const off = this.tailBytes & this.mask;
    const toEnd = this.size - off;
    if (need > toEnd) {
      this.i32[off >> 2] = K_PAD;
      this.tailBytes = (this.tailBytes + toEnd) >>> 0;
      return DATA_START_REL + 4;
    }
    return off + 4;
  }

  /**
   * Complete the record reserved last (`whole`: it ends an IP, it is not a non-final
   * fragment). The reader sees it once publish() runs.
   */
  commit(kind: number, flags: number, len: number, whole: boolean): void {
    const off = this.tailBytes & this.mask;
    this.i32[off >> 2] = kind | flags | (len << LEN_SHIFT);
    this.tailBytes = (this.tailBytes + 4 + pad4(len)) >>> 0;
    if (whole) this.tailIps = (this.tailIps + 1) >>> 0;
  }

  private shownBytes = 0;

  /** Make every committed record visible to the reader: bytes first, then the IP count. */
  publish(): void {
    if (this.shownBytes === this.tailBytes) return;
    this.shownBytes = this.tailBytes;
    Atomics.store(this.ctl, TAIL_BYTES, this.tailBytes | 0);
    Atomics.store(this.ctl, TAIL_IPS, this.tailIps | 0);
  }

  /** After publishing: true when the reader asked for a doorbell (the flag is cleared). */
  takeRxWaiting(): boolean {
    return Atomics.load(this.ctl, RX_WAITING) !== 0 && Atomics.exchange(this.ctl, RX_WAITING, 0) !== 0;
  }

  /** Ask for a doorbell when the reader makes room; then re-check (see the header). */
  setTxWaiting(): void {
    Atomics.store(this.ctl, TX_WAITING, 1);
  }
  clearTxWaiting(): void {
    Atomics.store(this.ctl, TX_WAITING, 0);
  }

  close(): void {
    Atomics.store(this.ctl, SENDER_CLOSED, 1);
  }
}

/** reserve() after a padding record: the payload starts after the header at offset 0. */
const DATA_START_REL = 0;

export class RingReader extends RingBase {
  private headBytes = 0;
  private headIps = 0;
  private tailBytes = 0;
  private tailIps = 0;

  get ipsRead(): number {
    return this.headIps;
  }
  get senderClosed(): boolean {
    return Atomics.load(this.ctl, SENDER_CLOSED) !== 0;
  }
  get receiverClosed(): boolean {
    return Atomics.load(this.ctl, RECEIVER_CLOSED) !== 0;
  }
  /** Whole IPs waiting (reloads the writer's counter). */
  available(): number {
    this.tailIps = Atomics.load(this.ctl, TAIL_IPS) >>> 0;
    return (this.tailIps - this.headIps) >>> 0;
  }
  /**
   * Whole IPs known to be waiting without touching shared memory: a lower bound (the IP count
   * is published after the bytes, so records may be visible before they are counted).
   */
  get cachedAvailable(): number {
    return Math.max(0, (this.tailIps - this.headIps) | 0);
  }
  /** Total IPs the writer has published. */
  ipsPublished(): number {
    return Atomics.load(this.ctl, TAIL_IPS) >>> 0;
  }

  /** True when some record (whole or a fragment) can be read. */
  hasRecord(): boolean {
    if (this.headBytes !== this.tailBytes) return true;
    this.tailBytes = Atomics.load(this.ctl, TAIL_BYTES) >>> 0;
    this.tailIps = Atomics.load(this.ctl, TAIL_IPS) >>> 0;
    return this.headBytes !== this.tailBytes;
  }

  /**
   * The header of the next record (after skipping padding); call only when hasRecord().
   * The payload is at `payloadOffset`.
   */
  peekHeader(): number {
    let off = this.headBytes & this.mask;
    let h = this.i32[off >> 2];
    if (h === K_PAD) {
      this.headBytes = (this.headBytes + (this.size - off)) >>> 0;
      off = 0;
      h = this.i32[0];
    }
    this.payloadOffset = off + 4;
    return h;
  }
  payloadOffset = 0;

  /** Consume the record peeked last; `whole` when it ended an IP. See publishHead(). */
  consume(len: number, whole: boolean): void {
    this.headBytes = (this.headBytes + 4 + pad4(len)) >>> 0;
    if (whole) this.headIps = (this.headIps + 1) >>> 0;
  }

  private shownBytes = 0;

  /** Give the room of every consumed record back to the writer. */
  publishHead(): void {
    if (this.shownBytes === this.headBytes) return;
    this.shownBytes = this.headBytes;
    Atomics.store(this.ctl, HEAD_BYTES, this.headBytes | 0);
    Atomics.store(this.ctl, HEAD_IPS, this.headIps | 0);
  }

  /** IPs in the ring as this side last saw them (whole IPs published and not yet consumed). */
  get knownFill(): number {
    return (this.tailIps - this.headIps) >>> 0;
  }

  /** Discard everything published so far (the reader closed early); returns whole IPs dropped. */
  discardAll(): number {
    const tailBytes = Atomics.load(this.ctl, TAIL_BYTES) >>> 0;
    const tailIps = Atomics.load(this.ctl, TAIL_IPS) >>> 0;
    const n = (tailIps - this.headIps) >>> 0;
    this.headBytes = this.tailBytes = this.shownBytes = tailBytes;
    this.headIps = this.tailIps = tailIps;
    Atomics.store(this.ctl, HEAD_BYTES, tailBytes | 0);
    Atomics.store(this.ctl, HEAD_IPS, tailIps | 0);
    return n;
  }

  takeTxWaiting(): boolean {
    return Atomics.load(this.ctl, TX_WAITING) !== 0 && Atomics.exchange(this.ctl, TX_WAITING, 0) !== 0;
  }
  setRxWaiting(): void {
    Atomics.store(this.ctl, RX_WAITING, 1);
  }
  clearRxWaiting(): void {
    Atomics.store(this.ctl, RX_WAITING, 0);
  }
  close(): void {
    Atomics.store(this.ctl, RECEIVER_CLOSED, 1);
  }
}
