/**
 * Arena views: the typed arrays that boxes see over the shared arena (arena.ts), one
 * ArenaViews per thread per network. What it adds to the block allocator:
 *
 * - Views. `alloc(Float64Array, n)` gives a Float64Array over the arena's SharedArrayBuffer.
 *   A value is an arena view when `ArrayBuffer.isView(v) && v.buffer === sab` (owns()).
 * - Handles. Across workers a view travels as a 12-byte handle written into the ring:
 *     u32 byte offset in the buffer, u32 length in elements, u16 generation, u8 kind, u8 0
 *   and the receiving thread makes a new view over the same bytes: nothing is copied.
 * - The life of each view this thread made or received, kept in a WeakMap beside the view:
 *   its block's generation, and whether it is in an IP, was sent to another thread, or freed.
 *     alloc → (create an IP) IN_IP → sent across: SENT (the receiver has its own view)
 *                                  → dropped (or sent and dropped on this thread): FREED
 *   So a second IP for one view, sending or freeing a view that was sent away, and freeing
 *   twice are E_OWNERSHIP at the call that does it, and a view that is not one this thread
 *   made or received (a subarray, `new Float64Array(arena.sab)`) is refused instead of
 *   guessed at. Blocks are freed by generation, so a stale view cannot free a reused block.
 *
 * Invariants: every live block is referenced by exactly one view that is not SENT or FREED,
 * on one thread; the runtime frees it when the IP holding that view ends (ip.ts's drop, the
 * scheduler's auto-drop, a refused send, a discarded queue, the end of the network).
 */
import { WeftError } from '../errors.ts';
import { Arena, formatBytes } from './arena.ts';

export type ArenaView =
  | Uint8Array | Int8Array | Uint8ClampedArray | Uint16Array | Int16Array | Uint32Array | Int32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** The typed-array classes ctx.alloc takes. */
export type ArenaViewType =
  | typeof Uint8Array | typeof Int8Array | typeof Uint8ClampedArray | typeof Uint16Array | typeof Int16Array
  | typeof Uint32Array | typeof Int32Array | typeof Float32Array | typeof Float64Array | typeof BigInt64Array
  | typeof BigUint64Array;

/** Any of them, as a constructor over a buffer. */
type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArenaView;

/** Kind numbers in handles: the index in this list. */
export const VIEW_TYPES: readonly ArenaViewType[] = Object.freeze([
  Uint8Array, Int8Array, Uint8ClampedArray, Uint16Array, Int16Array, Uint32Array, Int32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
]);
const KIND = new Map<unknown, number>(VIEW_TYPES.map((t, i) => [t, i]));

/** Bytes of a handle in a ring or shared queue record. */
export const HANDLE_BYTES = 12;

const GEN = 0xffff;
const IN_IP = 1 << 16;
const SENT = 1 << 17;
const FREED = 1 << 18;

/** Per thread: the buffer of every arena opened here. */
const known = new WeakSet<SharedArrayBuffer>();

/** The kind number of a typed array (a subclass such as Buffer counts as its base), or -1. */
function kindOf(v: ArrayBufferView): number {
  const k = KIND.get(v.constructor);
  if (k !== undefined) return k;
  for (let i = 0; i < VIEW_TYPES.length; i++) if (v instanceof VIEW_TYPES[i]) return i;
  return -1;
}

function typeName(v: ArrayBufferView): string {
  const k = kindOf(v);
  return k < 0 ? 'a DataView' : `a ${VIEW_TYPES[k].name} of ${(v as ArenaView).length}`;
}

export class ArenaViews {
  readonly arena: Arena;
  readonly sab: SharedArrayBuffer;
  private readonly life = new WeakMap<object, number>();

  constructor(sab: SharedArrayBuffer) {
    this.arena = new Arena(sab);
    this.sab = sab;
    known.add(sab);
  }

  /** Whether `v` is a view over this arena's memory. */
  owns(v: unknown): v is ArenaView {
    return ArrayBuffer.isView(v) && v.buffer === this.sab;
  }

  /**
   * A new view of `length` elements of `type` in its own block; zero-filled unless `zero` is
   * false (then its contents are what the block's last user left). `who` names the caller in
   * the E_ARENA error when the arena is full.
   */
  alloc<T extends ArenaViewType>(type: T, length: number, zero = true, who = 'ctx.alloc'): InstanceType<T> {
    const kind = KIND.get(type);
    if (kind === undefined) {
      throw new WeftError('E_USAGE', `${who}: the first argument must be a typed-array class (${VIEW_TYPES.map((t) => t.name).join(', ')})`);
    }
    if (!Number.isSafeInteger(length) || length < 0) throw new WeftError('E_USAGE', `${who}: length must be a non-negative integer, got ${String(length)}`);
    const bytes = length * type.BYTES_PER_ELEMENT;
    const a = this.arena;
    const offset = a.allocate(bytes, () => `${who}(${type.name}, ${length})`);
    const view = new (type as unknown as ViewCtor)(this.sab, offset, length) as InstanceType<T>;
    // Words, not bytes: on shared memory V8 fills a Uint8Array byte by byte (8x slower here).
    if (zero && !a.lastFresh) new Float64Array(this.sab, offset, Math.ceil(bytes / 8)).fill(0);
    this.life.set(view, a.genAt(offset));
    return view;
  }

  /**
   * Free the block of a view this thread holds (E_OWNERSHIP when it does not hold one). A box
   * (`ctx.free`) may free only a view that is in no IP: one in an IP ends with its IP.
   */
  free(view: ArenaView, what = 'ctx.free'): void {
    const st = this.lifeOf(view, what);
    if (what === 'ctx.free' && (st & IN_IP) !== 0) {
      throw new WeftError('E_OWNERSHIP', 'ctx.free: this arena view is in an IP; drop the IP instead (ctx.drop(ip)), which frees it');
    }
    this.arena.release(view.byteOffset, st & GEN, what);
    this.life.set(view, (st & GEN) | FREED);
  }

  /** The runtime's release of an IP's value: frees it when it is an arena view, else nothing. */
  release(value: unknown): void {
    if (this.owns(value)) this.free(value, 'drop');
  }

  /** A view is being put into an IP (ctx.create, emit): it must be live and in no other IP. */
  adopt(view: ArenaView): void {
    const st = this.lifeOf(view, 'create an IP');
    if ((st & IN_IP) !== 0) {
      throw new WeftError('E_OWNERSHIP', 'this arena view is already in an IP: a block belongs to one IP at a time (send that IP itself: ip.data = ...; out.send(ip), instead of emitting ip.data again)');
    }
    this.life.set(view, st | IN_IP);
  }

  /** The state of a view this thread made or received, or E_OWNERSHIP. */
  private lifeOf(view: ArenaView, what: string): number {
    const st = this.life.get(view);
    if (st === undefined) {
      throw new WeftError('E_OWNERSHIP', `${what}: ${typeName(view)} at offset ${view.byteOffset} is a view over the shared arena that ctx.alloc did not make (a subarray, or a view made over the arena's buffer); only the views ctx.alloc returns, or that a box receives, can be sent or freed`);
    }
    if ((st & FREED) !== 0) throw new WeftError('E_OWNERSHIP', `${what}: the arena view at offset ${view.byteOffset} was freed already (its IP was dropped)`);
    if ((st & SENT) !== 0) throw new WeftError('E_OWNERSHIP', `${what}: the arena view at offset ${view.byteOffset} was sent to another worker; it belongs to the receiver now`);
    return st;
  }

  /**
   * Write the handle of `value` at `at` (the sending side of a ring or queue record). A view of
   * this arena must be live and held here; it is SENT afterwards. Any other typed array is
   * copied into a new block first (a shared port may be fed a plain Float64Array).
   */
  writeHandle(value: unknown, dv: DataView, at: number, where: string): void {
    if (!ArrayBuffer.isView(value) || kindOf(value) < 0) {
      throw new WeftError('E_ENCODE', `value ${describe(value)} does not fit shared (a typed array made by ctx.alloc) on ${where}`);
    }
    const kind = kindOf(value);
    const v = value as ArenaView;
    let offset: number;
    let gen: number;
    if (v.buffer === this.sab) {
      const st = this.lifeOf(v, `send on ${where}`);
      gen = st & GEN;
      offset = v.byteOffset;
      this.arena.checkLive(offset, gen, v.byteLength, `send on ${where}`);
      this.life.set(v, gen | SENT);
    } else {
      offset = this.arena.allocate(v.byteLength, `copying ${typeName(v)} (${formatBytes(v.byteLength)}) into the arena on ${where}`);
      new Uint8Array(this.sab, offset, v.byteLength).set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      gen = this.arena.genAt(offset);
    }
    dv.setUint32(at, offset, true);
    dv.setUint32(at + 4, v.length, true);
    dv.setUint16(at + 8, gen, true);
    dv.setUint8(at + 10, kind);
    dv.setUint8(at + 11, 0);
  }

  /** Read a handle written by writeHandle (on any thread): a new view over the same bytes. */
  readHandle(dv: DataView, at: number): ArenaView {
    const offset = dv.getUint32(at, true);
    const length = dv.getUint32(at + 4, true);
    const gen = dv.getUint16(at + 8, true);
    const type = VIEW_TYPES[dv.getUint8(at + 10)];
    if (type === undefined) throw new WeftError('E_INTERNAL', `an arena handle with kind ${dv.getUint8(at + 10)}`);
    const view = new (type as unknown as ViewCtor)(this.sab, offset, length);
    this.life.set(view, gen | IN_IP);
    return view;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v)) return typeName(v);
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return typeof v === 'string' ? `${JSON.stringify(v.slice(0, 40))} (a string)` : `${String(v)} (a ${typeof v})`;
}

/** Whether `v` is a view over any arena this thread has opened (codec-any.ts refuses them). */
export function isArenaView(v: unknown): boolean {
  return ArrayBuffer.isView(v) && v.buffer instanceof SharedArrayBuffer && known.has(v.buffer);
}
