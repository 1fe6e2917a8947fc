/**
 * Codecs: how the data of an IP is written into the bytes of a SharedArrayBuffer ring and read
 * back on the other worker thread.
 *
 * A port's declared type gives a ValueLayout (component/port.ts `layoutOf`); `codecFor(layout,
 * where)` gives the Codec for one direction of one connection. `where` names the connection in
 * every error (`edge A.OUT -> B.IN`).
 *
 *   machine  one number or boolean in a fixed number of bytes:
 *            f64 8, f32 4, i32 4, u32 4, i16 2, u16 2, i8 1, u8 1, bool 1 (0 or 1)
 *   struct   a fixed-size record of machine fields, packed in declared order with no padding
 *            (`{x: 'f64', y: 'i32'}` is 12 bytes: x at 0, y at 8)
 *   bytes    a Uint8Array of any length: the bytes themselves
 *   shared   a typed array in the network's shared arena (arena-views.ts): a 12-byte handle;
 *            `read` gives a new view over the same memory (the one layout that shares it), and
 *            `release` frees the block of a value that is discarded instead of received
 *   any      any JavaScript value that can be carried faithfully, as MessagePack (codec-any.ts)
 *
 * Invariants:
 * - Little-endian always, whatever the machine.
 * - A value is carried exactly or refused with WeftError E_ENCODE naming `where` and what did not
 *   fit; nothing is changed silently. The exceptions, by declaration: f32 rounds to the nearest
 *   float32 (Math.fround; NaN, ±Infinity and -0 survive), and the integer types store -0 as 0
 *   (an integer has no sign of zero).
 * - Integer types take only integers in their range (`value 3.5 does not fit i32 on ...`);
 *   bool takes only booleans; f64/f32 take any number. A struct value must be an object with
 *   every declared field and no other own enumerable property: a field the ring cannot carry would
 *   otherwise vanish only when the two boxes happen to run on different threads.
 * - Fixed layouts (machine, struct) have `fixedSize` ≥ 0 and use `write`; variable ones (bytes,
 *   any) have `fixedSize` -1 and use `encode`. Calling the other one is E_INTERNAL. After a
 *   throw from `write`, the bytes at the offset are unspecified: the ring must not publish them.
 * - `read` always returns a fresh value that shares no memory with the ring (a bytes payload is
 *   a copy), so the slot can be reused as soon as `read` returns. (A shared value shares the
 *   arena's memory, never the ring's.)
 * - `release` exists only on codecs whose values hold something beyond themselves (shared): a
 *   connection that throws away a decoded value it will never deliver must call it.
 * - A codec serves one ordered stream: one thread encodes, one thread decodes, in the same
 *   order. Each side may call codecFor itself with the same layout; an `any` codec keeps
 *   per-stream state (MessagePack record definitions), so never share one between streams.
 */
import { WeftError } from '../errors.ts';
import { AnyCodec } from './codec-any.ts';
import { HANDLE_BYTES, isArenaView, type ArenaViews } from './arena-views.ts';

export type MachineType = 'f64' | 'f32' | 'i32' | 'u32' | 'i16' | 'u16' | 'i8' | 'u8' | 'bool';

export type ValueLayout =
  | { kind: 'machine'; type: MachineType }
  /** A fixed-size record of machine fields, in declared order. */
  | { kind: 'struct'; fields: ReadonlyArray<readonly [string, MachineType]> }
  /** Uint8Array payloads of any length; decode gives a fresh copy. */
  | { kind: 'bytes' }
  /** Typed arrays in the shared arena, moved by handle (no copy). */
  | { kind: 'shared' }
  /** Any value that can be carried faithfully, via msgpackr. */
  | { kind: 'any' };

export interface Codec {
  readonly layout: ValueLayout;
  /** Bytes of every encoded value when fixed (machine, struct); -1 when variable (bytes, any). */
  readonly fixedSize: number;
  /** Fixed layouts only: write exactly fixedSize bytes at offset. Throws E_ENCODE (naming `where`) if the value does not fit. */
  write(value: unknown, view: DataView, offset: number): void;
  /**
   * Variable layouts only: the encoded bytes. The array may be reused by the next encode() of
   * any codec on this thread, so the caller copies it right away. Throws E_ENCODE naming
   * `where` for values that cannot be carried.
   */
  encode(value: unknown): Uint8Array;
  /**
   * Variable layouts only: encode() without making a view for the result. Returns a buffer
   * whose bytes [encodedStart, encodedEnd) are the encoding (both set by this call); the buffer
   * may be reused by the next encode of any codec on this thread. What the ring uses per IP:
   * for a small value a view costs as much as the encoding (docs/performance.md).
   */
  encodeRange(value: unknown): Uint8Array;
  readonly encodedStart: number;
  readonly encodedEnd: number;
  /** Decode `length` bytes at `offset` (bytes is a Uint8Array over the same buffer as view). */
  read(view: DataView, bytes: Uint8Array, offset: number, length: number): unknown;
  /** Shared layout only: a decoded value is discarded, never delivered: free what it holds. */
  release?(value: unknown): void;
}

export const MACHINE_TYPES: readonly MachineType[] = Object.freeze(['f64', 'f32', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8', 'bool']);

export const MACHINE_SIZE: Readonly<Record<MachineType, number>> = Object.freeze({
  f64: 8, f32: 4, i32: 4, u32: 4, i16: 2, u16: 2, i8: 1, u8: 1, bool: 1,
});

export function isMachineType(x: unknown): x is MachineType {
  return typeof x === 'string' && Object.hasOwn(MACHINE_SIZE, x);
}

/** A struct field name: an identifier (no `__proto__`, which a plain object cannot hold as data). */
export const FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Why a struct field list is not valid, or undefined when it is. */
export function structProblem(fields: ReadonlyArray<readonly [string, string]>): string | undefined {
  if (!Array.isArray(fields) || fields.length === 0) return 'a struct needs at least one field';
  const seen = new Set<string>();
  for (const [name, type] of fields) {
    if (typeof name !== 'string' || !FIELD_NAME.test(name) || name === '__proto__') return `struct field name '${String(name)}' is not an identifier`;
    if (seen.has(name)) return `struct field '${name}' is declared twice`;
    seen.add(name);
    if (!isMachineType(type)) return `struct field '${name}' has type '${String(type)}'; a field is one of ${MACHINE_TYPES.join(', ')}`;
  }
  return undefined;
}

/** The layout as it is written in messages: `i32`, `struct{x:f64,y:i32}`, `bytes`, `any`. */
export function describeLayout(layout: ValueLayout): string {
  switch (layout.kind) {
    case 'machine': return layout.type;
    case 'struct': return `struct{${layout.fields.map(([n, t]) => `${n}:${t}`).join(',')}}`;
    default: return layout.kind;
  }
}

export function sameLayout(a: ValueLayout, b: ValueLayout): boolean {
  return describeLayout(a) === describeLayout(b);
}

/**
 * The layout an edge carries, given the layouts of its out-port and in-port (an edge load-time
 * validation accepted): the in-port's when it is not `any` (what the receiver declared, and
 * every value the sender may declare fits it: `i16 -> i32`, or `number -> i32` checked per
 * value), else the out-port's (`i32 -> number` checks what the sender declared).
 */
export function edgeLayout(from: ValueLayout, to: ValueLayout): ValueLayout {
  return to.kind !== 'any' ? to : from;
}

/**
 * `stream`: one decoder reads every message in order (a ring), so msgpackr may define record
 * shapes once and refer to them later. A shared queue is not a stream for any one consumer:
 * there (`stream: false`) every message carries its own keys.
 */
export function codecFor(layout: ValueLayout, where: string, stream = true, arena: ArenaViews | null = null): Codec {
  switch (layout?.kind) {
    case 'machine':
      if (!isMachineType(layout.type)) throw new WeftError('E_USAGE', `'${String(layout.type)}' is not a machine type (${where})`);
      return new MachineCodec(layout, where);
    case 'struct': {
      const problem = structProblem(layout.fields);
      if (problem) throw new WeftError('E_USAGE', `${problem} (${where})`);
      return new StructCodec(layout, where);
    }
    case 'bytes':
      return new BytesCodec(layout, where);
    case 'shared':
      return new SharedCodec(layout, where, arena);
    case 'any':
      return new AnyCodec(layout, where, stream);
    default:
      throw new WeftError('E_USAGE', `not a value layout: ${JSON.stringify(layout)} (${where})`);
  }
}

// Machine values. A type code indexes the switch in put/get, so one codec class serves every
// machine type and the ring's call sites see few classes.
const F64 = 0, F32 = 1, I32 = 2, U32 = 3, I16 = 4, U16 = 5, I8 = 6, U8 = 7, BOOL = 8;
const CODE: Readonly<Record<MachineType, number>> = { f64: F64, f32: F32, i32: I32, u32: U32, i16: I16, u16: U16, i8: I8, u8: U8, bool: BOOL };

/** Write one machine value; returns false (writing nothing) when it does not fit the type. */
function put(code: number, v: unknown, view: DataView, at: number): boolean {
  if (code === BOOL) {
    if (typeof v !== 'boolean') return false;
    view.setUint8(at, v ? 1 : 0);
    return true;
  }
  if (typeof v !== 'number') return false;
  switch (code) {
    case F64: view.setFloat64(at, v, true); return true;
    case F32: view.setFloat32(at, v, true); return true;
    // Each test is true only for an integer in range (NaN and ±Infinity included: they fail).
    case I32: if ((v | 0) !== v) return false; view.setInt32(at, v, true); return true;
    case U32: if (v >>> 0 !== v) return false; view.setUint32(at, v, true); return true;
    case I16: if ((v << 16) >> 16 !== v) return false; view.setInt16(at, v, true); return true;
    case U16: if ((v & 0xffff) !== v) return false; view.setUint16(at, v, true); return true;
    case I8: if ((v << 24) >> 24 !== v) return false; view.setInt8(at, v); return true;
    default: if ((v & 0xff) !== v) return false; view.setUint8(at, v); return true;
  }
}

function get(code: number, view: DataView, at: number): number | boolean {
  switch (code) {
    case F64: return view.getFloat64(at, true);
    case F32: return view.getFloat32(at, true);
    case I32: return view.getInt32(at, true);
    case U32: return view.getUint32(at, true);
    case I16: return view.getInt16(at, true);
    case U16: return view.getUint16(at, true);
    case I8: return view.getInt8(at);
    case U8: return view.getUint8(at);
    default: return view.getUint8(at) !== 0;
  }
}

/** A value as messages show it: numbers as they are (-0 included), others with their kind. */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'string': return `${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)} (a string)`;
    case 'bigint': return `${v}n (a bigint)`;
    case 'boolean': return `${v} (a boolean)`;
    case 'undefined': return 'undefined';
    case 'object': {
      if (v === null) return 'null';
      const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
      return Array.isArray(v) ? 'an array' : typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
    }
    default: return `a ${typeof v}`;
  }
}

function misfit(v: unknown, type: string, where: string, field?: string): WeftError {
  const of = field === undefined ? '' : ` (field ${field})`;
  return new WeftError('E_ENCODE', `value ${describeValue(v)}${of} does not fit ${type} on ${where}`);
}

function wrongMethod(layout: ValueLayout, method: string, where: string): WeftError {
  return new WeftError('E_INTERNAL', `${method}() called on the ${describeLayout(layout)} codec of ${where}`);
}

class MachineCodec implements Codec {
  readonly fixedSize: number;
  private readonly code: number;
  constructor(readonly layout: { kind: 'machine'; type: MachineType }, private readonly where: string) {
    this.fixedSize = MACHINE_SIZE[layout.type];
    this.code = CODE[layout.type];
  }
  write(value: unknown, view: DataView, offset: number): void {
    if (!put(this.code, value, view, offset)) throw misfit(value, this.layout.type, this.where);
  }
  encode(): Uint8Array {
    throw wrongMethod(this.layout, 'encode', this.where);
  }
  encodeRange(): Uint8Array {
    throw wrongMethod(this.layout, 'encode', this.where);
  }
  readonly encodedStart = 0;
  readonly encodedEnd = 0;
  read(view: DataView, _bytes: Uint8Array, offset: number): unknown {
    return get(this.code, view, offset);
  }
}

class StructCodec implements Codec {
  readonly fixedSize: number;
  private readonly names: string[];
  private readonly codes: number[];
  private readonly offsets: number[];
  constructor(readonly layout: { kind: 'struct'; fields: ReadonlyArray<readonly [string, MachineType]> }, private readonly where: string) {
    this.names = layout.fields.map(([n]) => n);
    this.codes = layout.fields.map(([, t]) => CODE[t]);
    this.offsets = [];
    let size = 0;
    for (const [, t] of layout.fields) {
      this.offsets.push(size);
      size += MACHINE_SIZE[t];
    }
    this.fixedSize = size;
  }
  write(value: unknown, view: DataView, offset: number): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw misfit(value, describeLayout(this.layout), this.where);
    }
    const v = value as Record<string, unknown>;
    const { names, codes, offsets } = this;
    for (let i = 0; i < names.length; i++) {
      const x = v[names[i]];
      if (!put(codes[i], x, view, offset + offsets[i])) {
        if (x === undefined) {
          const message = `struct value has no field ${names[i]} (${this.layout.fields[i][1]}) on ${this.where}`;
          throw new WeftError('E_ENCODE', message);
        }
        throw misfit(x, this.layout.fields[i][1], this.where, names[i]);
      }
    }
    let n = 0;
    for (const _ in v) n++;
    if (n !== names.length) this.refuseExtra(v);
  }
  /** Own enumerable fields that are not declared (for..in also counted inherited ones). */
  private refuseExtra(v: Record<string, unknown>): void {
    const extra = Object.keys(v).filter((k) => !this.names.includes(k));
    if (extra.length > 0) {
      const message =
        `struct value has field${extra.length === 1 ? '' : 's'} ${extra.join(', ')} that ` +
        `${describeLayout(this.layout)} does not declare on ${this.where}`;
      throw new WeftError('E_ENCODE', message);
    }
  }
  encode(): Uint8Array {
    throw wrongMethod(this.layout, 'encode', this.where);
  }
  encodeRange(): Uint8Array {
    throw wrongMethod(this.layout, 'encode', this.where);
  }
  readonly encodedStart = 0;
  readonly encodedEnd = 0;
  read(view: DataView, _bytes: Uint8Array, offset: number): unknown {
    const out: Record<string, unknown> = {};
    const { names, codes, offsets } = this;
    for (let i = 0; i < names.length; i++) out[names[i]] = get(codes[i], view, offset + offsets[i]);
    return out;
  }
}

class BytesCodec implements Codec {
  readonly fixedSize = -1;
  constructor(readonly layout: { kind: 'bytes' }, private readonly where: string) {}
  write(): void {
    throw wrongMethod(this.layout, 'write', this.where);
  }
  encode(value: unknown): Uint8Array {
    if (!(value instanceof Uint8Array)) throw misfit(value, 'bytes (a Uint8Array)', this.where);
    if (isArenaView(value)) {
      throw new WeftError('E_ENCODE', `a Uint8Array over the shared arena (ctx.alloc) crosses workers only on port.shared() ports; copy it (Uint8Array.from(view)) and drop its IP to send it on ${this.where}`);
    }
    return value;
  }
  encodedStart = 0;
  encodedEnd = 0;
  encodeRange(value: unknown): Uint8Array {
    const b = this.encode(value);
    this.encodedEnd = b.length;
    return b;
  }
  read(_view: DataView, bytes: Uint8Array, offset: number, length: number): unknown {
    // Not bytes.slice: on a Buffer that is a view, not a copy.
    const out = new Uint8Array(length);
    out.set(bytes.subarray(offset, offset + length));
    return out;
  }
}

/**
 * Shared: arena views by handle (arena-views.ts). Made without an arena it only answers
 * fixedSize (the main thread sizes rings that way); reading or writing then is E_INTERNAL.
 */
class SharedCodec implements Codec {
  readonly fixedSize = HANDLE_BYTES;
  constructor(
    readonly layout: { kind: 'shared' },
    private readonly where: string,
    private readonly arena: ArenaViews | null,
  ) {}
  private views(): ArenaViews {
    if (this.arena === null) throw new WeftError('E_INTERNAL', `no shared arena for the shared codec of ${this.where}`);
    return this.arena;
  }
  write(value: unknown, view: DataView, offset: number): void {
    this.views().writeHandle(value, view, offset, this.where);
  }
  encode(): Uint8Array {
    throw wrongMethod(this.layout, 'encode', this.where);
  }
  encodeRange(): Uint8Array {
    throw wrongMethod(this.layout, 'encode', this.where);
  }
  readonly encodedStart = 0;
  readonly encodedEnd = 0;
  read(view: DataView, _bytes: Uint8Array, offset: number): unknown {
    return this.views().readHandle(view, offset);
  }
  release(value: unknown): void {
    this.views().release(value);
  }
}
