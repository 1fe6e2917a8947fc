/**
 * Arena: an allocator of blocks in one SharedArrayBuffer that every thread of a network maps.
 * Any thread may allocate and free any block; nothing here takes a lock. It knows offsets and
 * sizes only: typed-array views, ownership of views and the codec are in arena-views.ts.
 *
 * Layout of the buffer (byte offsets):
 *   0         control, Int32 words: [0] MAGIC, [1] granules (G), [2] bump (first granule never
 *             handed out), [3] granules in live blocks, [4] the most ever in live blocks,
 *             [5] live blocks;  BigInt64 words from byte 64: the head of each size class's
 *             free list (HEADS_AT + class), then the allocation and free counters.
 *   512       block table: two Int32 per granule, the block's header word and its free-list link
 *   dataAt    data: G granules of 64 bytes (dataAt is a multiple of 64, so every block is too)
 *
 * Blocks. A block is 64 << c bytes for a size class c (64 B ... the largest power of two that
 * fits). A fresh block comes from the bump pointer (a CAS on word [2]); a freed block goes on
 * the free list of its class and is reused only for that class. When a class's list is empty
 * and the bump pointer cannot serve it either, a free block of a larger class is split in
 * halves down to the size wanted (the spare halves go on their own lists). Blocks are never
 * merged again, so a granule that once started a block always starts one.
 *
 * Header word of a block (in the table, at its first granule):
 *   bits 24-31 MAGIC_H (0x5a)  bits 22-23 state (1 free, 2 live)  bits 16-21 class  bits 0-15 gen
 * `gen` counts how often the block was handed out (mod 2^16). A free checks that the header is
 * there, that the block is live, and (when the caller knows it) that its generation is the one
 * the caller got: so a double free, a free of a stale handle, and a free of an offset that is
 * not a block are each a WeftError E_OWNERSHIP, and never corrupt a free list. The state change
 * is one compareExchange on the header, so two threads freeing one block cannot both succeed.
 *
 * Free lists are Treiber stacks. A head is a 64-bit word: (tag << 32) | (granule + 1), 0 when
 * empty; every successful push or pop adds 1 to the tag, so a compareExchange against a head
 * that was popped and pushed back in between (the ABA case) fails and is retried. The link of
 * a free block lives in the table, never in the data, so a box that writes into a block after
 * freeing it cannot break a list.
 *
 * Counters are kept with Atomics.add; `peak` is raised by a CAS loop. All sizes in the counters
 * are in granules (so an Int32 covers arenas up to 128 GiB); stats() gives bytes.
 */
import { WeftError } from '../errors.ts';

export const GRANULE = 64;
const SHIFT = 6;
/** Default size of the data area: 64 MiB. */
export const DEFAULT_ARENA_BYTES = 64 << 20;
/** Smallest and largest data area an arena may have. */
export const MIN_ARENA_BYTES = 1 << 16;
export const MAX_ARENA_BYTES = 2048 * 2 ** 20;

const MAGIC = 0x57656674; // "Weft"
const W_MAGIC = 0, W_GRANULES = 1, W_BUMP = 2, W_IN_USE = 3, W_PEAK = 4, W_LIVE = 5;
const HEADS_AT = 8; // BigInt64 index of class 0's head (byte 64)
const CLASSES = 32;
const W_ALLOCS = HEADS_AT + CLASSES, W_FREES = W_ALLOCS + 1;
const TABLE_AT = 512;

const MAGIC_H = 0x5a;
const FREE = 1, LIVE = 2;
const header = (state: number, cls: number, gen: number) => (MAGIC_H << 24) | (state << 22) | (cls << 16) | (gen & 0xffff);
const stateOf = (h: number) => (h >>> 22) & 3;
const classOf = (h: number) => (h >>> 16) & 63;
const genOf = (h: number) => h & 0xffff;
const LOW32 = 0xffffffffn;

export interface ArenaStats {
  /** Size of the data area, bytes. */
  bytes: number;
  /** Bytes in live blocks (each block counts its whole size class). */
  inUse: number;
  /** The most bytes ever in live blocks at once. */
  peak: number;
  liveBlocks: number;
  allocations: number;
  frees: number;
}

/** Byte offset of the data area for an arena of `granules` granules. */
function dataStart(granules: number): number {
  return Math.ceil((TABLE_AT + granules * 8) / GRANULE) * GRANULE;
}

/** A fresh arena buffer with a data area of `bytes` (rounded down to 64). */
export function createArenaBuffer(bytes = DEFAULT_ARENA_BYTES): SharedArrayBuffer {
  if (!Number.isInteger(bytes) || bytes < MIN_ARENA_BYTES || bytes > MAX_ARENA_BYTES) {
    throw new WeftError('E_USAGE', `the arena must be ${MIN_ARENA_BYTES} to ${MAX_ARENA_BYTES} bytes (${MAX_ARENA_BYTES / 2 ** 20} MiB), got ${bytes}`);
  }
  const granules = Math.floor(bytes / GRANULE);
  const sab = new SharedArrayBuffer(dataStart(granules) + granules * GRANULE);
  const ctl = new Int32Array(sab, 0, 16);
  ctl[W_GRANULES] = granules;
  Atomics.store(ctl, W_MAGIC, MAGIC);
  return sab;
}

/** "1.5 MiB", "64 KiB", "80 B": sizes in messages. */
export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${+(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${+(n / 2 ** 20).toFixed(2)} MiB`;
  if (n >= 2 ** 10) return `${+(n / 2 ** 10).toFixed(2)} KiB`;
  return `${n} B`;
}

/** One thread's handle on an arena buffer (any number of threads may hold one). */
export class Arena {
  readonly sab: SharedArrayBuffer;
  /** Byte offset of the data area in `sab`. */
  readonly dataAt: number;
  readonly granules: number;
  /** Size of the data area, bytes. */
  readonly bytes: number;
  /** Largest size class (64 << maxClass ≤ bytes). */
  readonly maxClass: number;
  /** Whether the block handed out last came from the bump pointer (still zero-filled). */
  lastFresh = false;
  private readonly ctl: Int32Array;
  private readonly big: BigInt64Array;
  private readonly table: Int32Array;

  constructor(sab: SharedArrayBuffer) {
    const ctl = new Int32Array(sab, 0, 16);
    if (Atomics.load(ctl, W_MAGIC) !== MAGIC) throw new WeftError('E_INTERNAL', 'not an arena buffer');
    this.sab = sab;
    this.ctl = ctl;
    this.granules = ctl[W_GRANULES];
    this.big = new BigInt64Array(sab, 0, TABLE_AT / 8);
    this.table = new Int32Array(sab, TABLE_AT, this.granules * 2);
    this.dataAt = dataStart(this.granules);
    this.bytes = this.granules * GRANULE;
    this.maxClass = 31 - Math.clz32(this.granules);
  }

  /** The size class that holds `bytes`. */
  static classFor(bytes: number): number {
    const g = Math.max(1, Math.ceil(bytes / GRANULE));
    return g === 1 ? 0 : 32 - Math.clz32(g - 1);
  }

  /** Size in bytes of the blocks of class `cls`. */
  static blockBytes(cls: number): number {
    return GRANULE * 2 ** cls;
  }

  /**
   * A live block of at least `bytes` bytes: its byte offset in `sab` (a multiple of 64). Its
   * contents are whatever the last user left (`lastFresh` says whether it is still zeroed).
   * `what` names the request in the E_ARENA error thrown when nothing fits (a function: made
   * only then).
   */
  allocate(bytes: number, what: string | (() => string) = `${bytes} bytes`): number {
    const cls = Arena.classFor(bytes);
    if (cls > this.maxClass) {
      throw new WeftError('E_ARENA', `${typeof what === 'string' ? what : what()} (${formatBytes(bytes)}) does not fit in the shared arena of ${formatBytes(this.bytes)}; give the network a larger arena (the arenaBytes option, or --arena MiB on weft run)`);
    }
    let g = this.pop(cls);
    this.lastFresh = false;
    if (g < 0) {
      g = this.bump(cls);
      if (g >= 0) this.lastFresh = true;
      else g = this.split(cls);
    }
    if (g < 0) throw this.exhausted(cls, bytes, typeof what === 'string' ? what : what());
    const t = this.table;
    const old = Atomics.load(t, 2 * g);
    Atomics.store(t, 2 * g, header(LIVE, cls, genOf(old) + 1));
    const n = 1 << cls;
    const inUse = Atomics.add(this.ctl, W_IN_USE, n) + n;
    for (let p = Atomics.load(this.ctl, W_PEAK); inUse > p; p = Atomics.load(this.ctl, W_PEAK)) {
      if (Atomics.compareExchange(this.ctl, W_PEAK, p, inUse) === p) break;
    }
    Atomics.add(this.ctl, W_LIVE, 1);
    Atomics.add(this.big, W_ALLOCS, 1n);
    return this.dataAt + g * GRANULE;
  }

  /** The generation of the live block at `offset` (as allocate() left it). */
  genAt(offset: number): number {
    return genOf(Atomics.load(this.table, 2 * this.granuleOf(offset, 'read')));
  }

  /** Size of the block at `offset` (a block start), bytes. */
  sizeAt(offset: number): number {
    return Arena.blockBytes(classOf(Atomics.load(this.table, 2 * this.granuleOf(offset, 'read'))));
  }

  /**
   * Throws E_OWNERSHIP unless `offset` starts a live block of generation `gen` (-1: any), of
   * at least `length` bytes.
   */
  checkLive(offset: number, gen: number, length: number, what: string): void {
    const h = Atomics.load(this.table, 2 * this.granuleOf(offset, what));
    this.checkHeader(h, offset, gen, what);
    if (length > Arena.blockBytes(classOf(h))) throw this.notBlock(offset, what);
  }

  /** Free the block at `offset`; `gen` is the generation the caller got (-1: not known). */
  release(offset: number, gen: number, what = 'free'): void {
    const g = this.granuleOf(offset, what);
    const t = this.table;
    for (;;) {
      const h = Atomics.load(t, 2 * g);
      this.checkHeader(h, offset, gen, what);
      const cls = classOf(h);
      if (Atomics.compareExchange(t, 2 * g, h, header(FREE, cls, genOf(h))) !== h) continue;
      Atomics.sub(this.ctl, W_IN_USE, 1 << cls);
      Atomics.sub(this.ctl, W_LIVE, 1);
      Atomics.add(this.big, W_FREES, 1n);
      this.push(cls, g);
      return;
    }
  }

  stats(): ArenaStats {
    const c = this.ctl;
    return {
      bytes: this.bytes,
      inUse: Atomics.load(c, W_IN_USE) * GRANULE,
      peak: Atomics.load(c, W_PEAK) * GRANULE,
      liveBlocks: Atomics.load(c, W_LIVE),
      allocations: Number(Atomics.load(this.big, W_ALLOCS)),
      frees: Number(Atomics.load(this.big, W_FREES)),
    };
  }

  // --- internals ------------------------------------------------------------------------

  private granuleOf(offset: number, what: string): number {
    const rel = offset - this.dataAt;
    if (!Number.isInteger(rel) || rel < 0 || rel >= this.bytes || (rel & (GRANULE - 1)) !== 0) throw this.notBlock(offset, what);
    return rel >>> SHIFT;
  }

  private checkHeader(h: number, offset: number, gen: number, what: string): void {
    if (h >>> 24 !== MAGIC_H) throw this.notBlock(offset, what);
    const state = stateOf(h);
    if (state === FREE) {
      throw new WeftError('E_OWNERSHIP', `${what}: the arena block at offset ${offset} is already free (freed twice, or used after its IP was dropped)`);
    }
    if (state !== LIVE) throw this.notBlock(offset, what);
    if (gen >= 0 && genOf(h) !== (gen & 0xffff)) {
      throw new WeftError('E_OWNERSHIP', `${what}: the arena block at offset ${offset} was freed and handed out again since this view was made (a view used after its IP was dropped)`);
    }
  }

  private notBlock(offset: number, what: string): WeftError {
    return new WeftError('E_OWNERSHIP', `${what}: offset ${offset} is not the start of a block of the shared arena (only views made by ctx.alloc, or received, can be sent or freed; not subarrays)`);
  }

  private exhausted(cls: number, bytes: number, what: string): WeftError {
    const s = this.stats();
    const size = Arena.blockBytes(cls);
    const frag = s.inUse + size <= s.bytes ? ' (the free space is in blocks of other sizes, which the arena does not merge)' : '';
    return new WeftError(
      'E_ARENA',
      `the shared arena is full: ${what} needs a block of ${formatBytes(size)} for ${formatBytes(bytes)}; ${formatBytes(s.inUse)} of ${formatBytes(s.bytes)} are in ${s.liveBlocks} live blocks${frag}; give the network a larger arena (the arenaBytes option, or --arena MiB on weft run), or lower the capacity of the connections that carry shared payloads`,
    );
  }

  private pop(cls: number): number {
    const big = this.big;
    const t = this.table;
    for (;;) {
      const h = Atomics.load(big, HEADS_AT + cls);
      const top = Number(h & LOW32);
      if (top === 0) return -1;
      const next = Atomics.load(t, 2 * (top - 1) + 1);
      const nh = BigInt.asIntN(64, ((((h >> 32n) + 1n) & LOW32) << 32n) | BigInt(next));
      if (Atomics.compareExchange(big, HEADS_AT + cls, h, nh) === h) return top - 1;
    }
  }

  private push(cls: number, g: number): void {
    const big = this.big;
    const t = this.table;
    const link = BigInt(g + 1);
    for (;;) {
      const h = Atomics.load(big, HEADS_AT + cls);
      Atomics.store(t, 2 * g + 1, Number(h & LOW32));
      const nh = BigInt.asIntN(64, ((((h >> 32n) + 1n) & LOW32) << 32n) | link);
      if (Atomics.compareExchange(big, HEADS_AT + cls, h, nh) === h) return;
    }
  }

  private bump(cls: number): number {
    const n = 1 << cls;
    const c = this.ctl;
    for (;;) {
      const b = Atomics.load(c, W_BUMP);
      if (b + n > this.granules) return -1;
      if (Atomics.compareExchange(c, W_BUMP, b, b + n) === b) return b;
    }
  }

  /** Take a free block of a larger class and halve it down to `cls`; -1 if there is none. */
  private split(cls: number): number {
    for (let d = cls + 1; d <= this.maxClass; d++) {
      const g = this.pop(d);
      if (g < 0) continue;
      // Keep the first 64 << cls bytes; the upper halves, largest first, become free blocks.
      for (let k = d - 1; k >= cls; k--) {
        const piece = g + (1 << k);
        const old = Atomics.load(this.table, 2 * piece);
        Atomics.store(this.table, 2 * piece, header(FREE, k, genOf(old)));
        this.push(k, piece);
      }
      return g;
    }
    return -1;
  }
}
