/**
 * The `any` codec: a JavaScript value as MessagePack (msgpackr), for one ordered stream between
 * two threads.
 *
 * Records (streams only: a ring). msgpackr writes objects of one shape as records: the keys once, then only values.
 * With `sequential: true` a record definition goes inline the first time the stream uses it and
 * later messages refer to it by id, so the decoder must see every message in order: the ring is
 * an ordered stream with one encoder and one decoder, each holding its own Packr or Unpackr
 * (made on first use, so each side may call codecFor on its own thread). Ids are reused after
 * 64 shapes; msgpackr redefines them inline, which the decoder follows. A shared queue (many
 * consumers, each seeing part of the stream) uses no records: every message has its own keys.
 * Every Packr/Unpackr gets a fresh options object: msgpackr's constructor stores the record
 * table *in the options object*, so two instances made from one object share one table (and a
 * test that packs and unpacks through them proves nothing).
 *
 * A failed pack leaves the Packr believing the decoder saw record definitions it never will
 * (the message is not sent). So after a failure the encoder drops its Packr and marks the next
 * message with a leading 0xC1 (a byte MessagePack never uses; msgpackr writes it only with
 * bundleStrings, which is off, or for its own exported `C1` marker object, which no box has a
 * reason to send): the decoder starts a fresh Unpackr there.
 *
 * What is carried (msgpackr with moreTypes; what structured clone would give, apart from
 * shared references):
 *   undefined, null, booleans, strings, numbers (NaN, ±Infinity, -0), BigInt of any size,
 *   arrays (holes arrive as undefined), plain objects, Date (ms; an invalid Date stays
 *   invalid), RegExp, Map, Set, typed arrays, DataView, ArrayBuffer, Error (class, name,
 *   message and cause; not the stack or other fields). A Buffer arrives as a Uint8Array; a
 *   class instance as a plain object of its own enumerable fields, or as its toJSON() result
 *   when it has one; symbol-keyed properties are left out (as structured clone and JSON do).
 *   An object reached twice arrives as two copies: identity is not carried.
 * Refused with E_ENCODE (msgpackr would change them silently or fail badly):
 *   functions (msgpackr writes undefined), symbols (it throws "Unknown type"), cycles and
 *   nesting deeper than MAX_DEPTH (it overflows the stack), Promise, WeakMap, WeakSet, WeakRef,
 *   SharedArrayBuffer and Map subclasses (it writes `{}`); views over the shared arena
 *   (arena-views.ts), which would be copied while their block stayed allocated.
 * -0 inside a value: msgpackr writes it as the integer 0. It is carried by a private extension
 * (type 0x2d), written only when the scan below finds a -0: the value is then copied with each
 * -0 replaced by a marker (a slow path for a rare value).
 *
 * Cost. Objects and arrays are scanned once before packing (typeof of every member): that
 * finds functions, symbols, -0 and excessive depth, none of which msgpackr reports. Primitives,
 * strings and typed arrays are not scanned. encode() against a bare Packr.pack of the same
 * values (2-core VM, Node 20.20, best of 45 runs, ±10% between runs): small records +17–20%,
 * arrays of 1000 records +17–20%, arrays of 10,000 floats +16–18%, arrays of short strings
 * +10%, strings and a 1 MB string +0. Decoding pays nothing. Rejected: msgpackr's
 * `structuredClone: true`, which carries cycles and shared references but cost 24–44% more on
 * every object in the same measurement and still loses -0; a hook-only design (`writeFunction`
 * throwing, the stack overflow of a cycle caught), which is free but lets a nested -0 become 0
 * and reports a cycle only after overflowing the stack. `writeFunction` throws anyway, as a
 * second line behind the scan (a function inside an Error's cause, which the scan skips).
 * The ring calls encodeRange(): msgpackr packs into its one buffer, reused from its start for
 * every message (REUSE_BUFFER_MODE | RESET_BUFFER_MODE), and no view is made per message.
 *
 * Decoding reads the ring's shared memory in place, with msgpackr's JavaScript string reader.
 * Its native string extractor (msgpackr-extract, switched on for the whole process by importing
 * 'msgpackr' itself) refuses a SharedArrayBuffer by throwing, and msgpackr catches that once per
 * message that holds a string: about 5.6 µs a message instead of 57 ns (a 1,000-word stream,
 * 2-core VM). So this module imports msgpackr without the extractor, and when something else
 * in the process has switched it on, `read` first copies the message into a private buffer,
 * where the extractor works (58 ns; it is no faster than the JavaScript reader here).
 */
// 'msgpackr/pack' is, for Node, msgpackr's index without its native string extractor (see
// `read` below); its types declare what is used here.
import * as msgpackr from 'msgpackr/pack';
import { addExtension, Packr, RESET_BUFFER_MODE, REUSE_BUFFER_MODE, Unpackr } from 'msgpackr/pack';
import type { Options } from 'msgpackr'; // a type only: erased, it loads nothing
import { WeftError } from '../errors.ts';
import { isArenaView } from './arena-views.ts';
import type { Codec } from './codec.ts';

/** Deepest nesting carried. msgpackr's recursion overflowed between 1000 and 3000 levels. */
export const MAX_DEPTH = 512;

/** First byte of the first message after a failed encode: decode with a fresh Unpackr. */
const RESET = 0xc1;

class NegativeZero {}
const NEG_ZERO = new NegativeZero();
const NEG_ZERO_BYTE = new Uint8Array([0]);
addExtension({ Class: NegativeZero, type: 0x2d, pack: () => NEG_ZERO_BYTE, unpack: () => -0 });

function options(stream: boolean): Options {
  return {
    // A stream reuses record shapes across messages; otherwise each message is self-contained.
    ...(stream ? { sequential: true } : { useRecords: false }),
    moreTypes: true,
    copyBuffers: true, // binary data must not stay a view of the ring
    writeFunction: () => {
      throw new TypeError('a function cannot be carried');
    },
  };
}

/** Whether msgpackr's native string extractor is on in this process (a live binding). */
function nativeStrings(): boolean {
  return (msgpackr as { isNativeAccelerationEnabled?: boolean }).isNativeAccelerationEnabled === true;
}

export class AnyCodec implements Codec {
  readonly fixedSize = -1;
  private packr: Packr | undefined;
  private unpackr: Unpackr | undefined;
  private resetNext = false;
  constructor(
    readonly layout: { kind: 'any' },
    private readonly where: string,
    private readonly stream = true,
  ) {}

  write(): void {
    throw new WeftError('E_INTERNAL', `write() called on the any codec of ${this.where}`);
  }

  encodedStart = 0;
  encodedEnd = 0;
  /** unpack()'s options, one object for every read (msgpackr only reads them). */
  private readonly range = { start: 0, end: 0 };
  /** read()'s private buffer, only while msgpackr's native extractor is on (nativeStrings). */
  private copy: Uint8Array | undefined;

  encode(value: unknown): Uint8Array {
    const buf = this.encodeRange(value);
    // A plain Uint8Array, not msgpackr's Buffer: its slice() is a copy.
    return new Uint8Array(buf.buffer, buf.byteOffset + this.encodedStart, this.encodedEnd - this.encodedStart);
  }

  /**
   * msgpackr packs into its own buffer and, in REUSE_BUFFER_MODE, returns that buffer with the
   * message's start and end instead of a new view; RESET_BUFFER_MODE then writes the next
   * message at the same place instead of further on (the bytes are copied out before then).
   */
  encodeRange(value: unknown): Uint8Array {
    let out: Uint8Array;
    try {
      let v = value;
      switch (typeof value) {
        case 'object':
          if (value !== null) {
            const found = scan(value, 0);
            if (found === BAD) throw this.refuse(value);
            if (found === NEG) v = rewrite(value);
          }
          break;
        case 'number':
          if (value === 0 && 1 / value < 0) v = NEG_ZERO;
          break;
        case 'function':
        case 'symbol':
          throw this.refuse(value);
      }
      out = (this.packr ??= new Packr(options(this.stream))).pack(v, REUSE_BUFFER_MODE | RESET_BUFFER_MODE);
      const packed = out as Uint8Array & { start: number; end: number };
      this.encodedStart = packed.start;
      this.encodedEnd = packed.end;
    } catch (e) {
      if (e instanceof WeftError) throw e; // refused by the scan: nothing was packed
      // A getter or toJSON threw, or msgpackr failed, possibly after writing record definitions.
      this.packr = undefined;
      this.resetNext = true;
      const why = e instanceof Error ? e.message : String(e);
      throw new WeftError('E_ENCODE', `cannot carry the value on ${this.where}: ${why}`, { cause: e });
    }
    if (this.resetNext) {
      this.resetNext = false;
      const marked = new Uint8Array(this.encodedEnd - this.encodedStart + 1);
      marked[0] = RESET;
      marked.set(out.subarray(this.encodedStart, this.encodedEnd), 1);
      this.encodedStart = 0;
      this.encodedEnd = marked.length;
      return marked;
    }
    return out;
  }

  read(_view: DataView, bytes: Uint8Array, offset: number, length: number): unknown {
    if (nativeStrings()) {
      bytes = this.privateCopy(bytes, offset, length);
      offset = 0;
    }
    let unpackr = this.unpackr;
    if (bytes[offset] === RESET) {
      unpackr = this.unpackr = new Unpackr(options(this.stream));
      offset++;
      length--;
    } else if (unpackr === undefined) {
      unpackr = this.unpackr = new Unpackr(options(this.stream));
    }
    try {
      const range = this.range;
      range.start = offset;
      range.end = offset + length;
      return unpackr.unpack(bytes, range);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new WeftError('E_INTERNAL', `cannot decode an IP on ${this.where}: ${why}`, { cause: e });
    }
  }

  /** The message's bytes in memory of this thread's own (for msgpackr's native extractor). */
  private privateCopy(bytes: Uint8Array, offset: number, length: number): Uint8Array {
    let copy = this.copy;
    if (copy === undefined || copy.length < length) copy = this.copy = new Uint8Array(Math.max(256, length * 2));
    if (length < 64) for (let i = 0; i < length; i++) copy[i] = bytes[offset + i];
    else copy.set(bytes.subarray(offset, offset + length));
    return copy;
  }

  private refuse(value: unknown): WeftError {
    const problem = findProblem(value, 'value', [], []) ?? 'a value msgpackr cannot write';
    return new WeftError('E_ENCODE', `cannot carry ${problem} on ${this.where}`);
  }
}

// The scan. Results combine with |; BAD stops it. The member test is written out in the two
// hot loops (arrays, fields): as a call it cost a third more on arrays of numbers.
const CLEAN = 0, NEG = 1, BAD = 2;

function member(x: unknown, depth: number): number {
  if (typeof x === 'number') return x === 0 && 1 / x < 0 ? NEG : CLEAN;
  if (typeof x === 'object') return x === null ? CLEAN : scan(x, depth + 1);
  return typeof x === 'function' || typeof x === 'symbol' ? BAD : CLEAN;
}

function scan(v: object, depth: number): number {
  if (depth >= MAX_DEPTH) return BAD;
  let found = CLEAN;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'number') {
        if (x === 0 && 1 / x < 0) found = NEG;
      } else if (typeof x === 'object') {
        if (x !== null) {
          const r = scan(x, depth + 1);
          if (r === BAD) return BAD;
          found |= r;
        }
      } else if (typeof x === 'function' || typeof x === 'symbol') return BAD;
    }
    return found;
  }
  if (v.constructor !== Object) {
    const kind = special(v);
    if (kind === LEAF) return CLEAN;
    if (kind === REFUSED) return BAD;
    // A Map or Set: its members; another object: its own fields, as msgpackr writes them
    // (for..in would also see enumerable methods an old-style prototype may have).
    const members = kind === ITERABLE ? (v instanceof Map ? [...v.keys(), ...v.values()] : (v as Set<unknown>)) : Object.values(v);
    for (const x of members) {
      const r = member(x, depth);
      if (r === BAD) return BAD;
      found |= r;
    }
    return found;
  }
  for (const k in v) {
    const x: unknown = (v as Record<string, unknown>)[k];
    if (typeof x === 'number') {
      if (x === 0 && 1 / x < 0) found = NEG;
    } else if (typeof x === 'object') {
      if (x !== null) {
        const r = scan(x, depth + 1);
        if (r === BAD) return BAD;
        found |= r;
      }
    } else if (typeof x === 'function' || typeof x === 'symbol') return BAD;
  }
  return found;
}

const FIELDS = 0, LEAF = 1, ITERABLE = 2, REFUSED = 3;

/** How msgpackr treats an object that is not a plain object or an array. */
function special(v: object): number {
  const c = v.constructor;
  if (c === Map || c === Set) return ITERABLE;
  if (ArrayBuffer.isView(v)) return isArenaView(v) ? REFUSED : LEAF;
  if (v instanceof Date || v instanceof RegExp || v instanceof Error || v instanceof ArrayBuffer) return LEAF;
  if (refusedKind(v) !== undefined) return REFUSED;
  if (v instanceof Set) return ITERABLE; // a Set subclass is written as a Set
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return LEAF; // msgpackr writes toJSON()'s result
  return FIELDS;
}

function refusedKind(v: object): string | undefined {
  if (isArenaView(v)) return `a view over the shared arena (ctx.alloc), which crosses workers only on port.shared() ports; copy it (${(v as ArrayBufferView).constructor.name}.from(view)) and drop its IP to send the copy here`;
  if (v instanceof Promise) return 'a Promise';
  if (v instanceof WeakMap) return 'a WeakMap';
  if (v instanceof WeakSet) return 'a WeakSet';
  if (v instanceof WeakRef) return 'a WeakRef';
  if (v instanceof SharedArrayBuffer) return 'a SharedArrayBuffer (send its bytes, or share it another way)';
  if (v instanceof Map && v.constructor !== Map) return `a subclass of Map (${v.constructor.name}); send a Map`;
  return undefined;
}

/** A copy of `x` with every -0 replaced by the marker (only called when the scan found one). */
function rewrite(x: unknown): unknown {
  if (typeof x === 'number') return x === 0 && 1 / x < 0 ? NEG_ZERO : x;
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) return x.map(rewrite);
  const kind = x.constructor === Object ? FIELDS : special(x);
  if (kind === LEAF) return x;
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [rewrite(k), rewrite(v)]));
  if (x instanceof Set) return new Set([...x].map(rewrite));
  const out: Record<string, unknown> = {};
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    const v = rewrite((x as Record<string, unknown>)[k]);
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

/** The first thing the scan refuses, with its path (`value.a[2]`); the slow path of an error. */
function findProblem(x: unknown, path: string, ancestors: object[], paths: string[]): string | undefined {
  if (typeof x === 'function') return `a function (at ${path}): functions cannot cross threads`;
  if (typeof x === 'symbol') return `a symbol (at ${path}): symbols cannot cross threads`;
  if (typeof x !== 'object' || x === null) return undefined;
  const seen = ancestors.indexOf(x);
  if (seen >= 0) return `a cyclic object: ${path} refers back to ${paths[seen]}`;
  if (ancestors.length >= MAX_DEPTH) return `a value nested deeper than ${MAX_DEPTH} levels (at ${shorten(path)})`;
  let children: [string, unknown][];
  if (Array.isArray(x)) children = x.map((v, i) => [`${path}[${i}]`, v]);
  else {
    const kind = x.constructor === Object ? FIELDS : special(x);
    if (kind === LEAF) return undefined;
    if (kind === REFUSED) return `${refusedKind(x)} (at ${path})`;
    if (x instanceof Map) children = [...x].flatMap(([k, v], i): [string, unknown][] => [[`${path}.<key ${i}>`, k], [`${path}.get(<key ${i}>)`, v]]);
    else if (x instanceof Set) children = [...x].map((v, i) => [`${path}.<item ${i}>`, v]);
    else children = Object.keys(x).map((k) => [FIELD.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, (x as Record<string, unknown>)[k]]);
  }
  ancestors.push(x);
  paths.push(path);
  for (const [p, v] of children) {
    const problem = findProblem(v, p, ancestors, paths);
    if (problem) return problem;
  }
  ancestors.pop();
  paths.pop();
  return undefined;
}

const FIELD = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function shorten(path: string): string {
  return path.length > 60 ? `${path.slice(0, 28)}...${path.slice(-28)}` : path;
}

