/**
 * Tests for the `any` codec: every kind of value it carries or refuses, record reuse across
 * separate encoder and decoder instances (also on two threads), recovery after a failed encode,
 * and decoded values that share no memory with the ring.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../errors.ts';
import { MAX_DEPTH } from './codec-any.ts';
import { codecFor, type Codec } from './codec.ts';
import { anyValues, FakeRing } from './codec.testutil.ts';

const WHERE = 'edge A.OUT -> B.IN';
const ring = new FakeRing();

/** One stream: an encoder and a decoder made separately, as on two threads. */
function stream(): { enc: Codec; dec: Codec; pass: (v: unknown) => unknown } {
  const enc = codecFor({ kind: 'any' }, WHERE);
  const dec = codecFor({ kind: 'any' }, WHERE);
  return { enc, dec, pass: (v) => ring.pass(enc, dec, v) };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isWeftError(e, 'E_ENCODE'), String(e)).toBe(true);
    expect((e as Error).message).toContain(WHERE);
    return (e as Error).message;
  }
  throw new Error('expected E_ENCODE');
}

const same = (a: unknown, b: unknown) => expect(Object.is(a, b), `${String(a)} vs ${String(b)}`).toBe(true);

describe('any: values that round-trip', () => {
  const { pass } = stream();

  it('undefined, null, NaN, -0, ±Infinity, booleans', () => {
    for (const v of [undefined, null, NaN, -0, 0, Infinity, -Infinity, true, false, 2 ** 53 + 2, -(2 ** 31) - 1, 0.1]) same(pass(v), v);
  });

  it('-0 nested in arrays, objects, Maps and Sets', () => {
    const back = pass({ a: -0, list: [1, -0, { b: -0 }], m: new Map([['k', -0]]), s: new Set([{ z: -0 }]) }) as any;
    same(back.a, -0);
    same(back.list[1], -0);
    same(back.list[2].b, -0);
    same(back.m.get('k'), -0);
    same([...back.s][0].z, -0);
  });

  it('strings: empty, non-Latin, 1 MB', () => {
    const big = 'abcdefgh'.repeat(1 << 17) + 'é✓😀';
    for (const v of ['', 'é✓😀', big]) same(pass(v), v);
  });

  it('empty and nested arrays and objects, undefined members, holes as undefined', () => {
    expect(pass([])).toEqual([]);
    expect(pass({})).toEqual({});
    expect(pass([[1, [2, [3, []]]], [{}]])).toEqual([[1, [2, [3, []]]], [{}]]);
    const back = pass({ a: undefined, b: [undefined, null] }) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['a', 'b']);
    expect(back).toEqual({ a: undefined, b: [undefined, null] });
    expect(pass([1, , 3])).toEqual([1, undefined, 3]);
  });

  it('Date (valid and invalid), RegExp, Error (class, message, cause)', () => {
    expect((pass(new Date(1700000000123)) as Date).getTime()).toBe(1700000000123);
    same((pass(new Date(NaN)) as Date).getTime(), NaN);
    const re = pass(/a+b/gi) as RegExp;
    expect([re.source, re.flags]).toEqual(['a+b', 'gi']);
    const err = pass(new TypeError('bad', { cause: 'why' })) as TypeError;
    expect(err).toBeInstanceOf(TypeError);
    expect([err.message, err.cause]).toEqual(['bad', 'why']);
  });

  it('Map and Set, with object keys and members', () => {
    const m = pass(new Map<unknown, unknown>([[1, 'a'], [{ k: 1 }, [2]]])) as Map<unknown, unknown>;
    expect(m).toBeInstanceOf(Map);
    expect([...m]).toEqual([[1, 'a'], [{ k: 1 }, [2]]]);
    const s = pass(new Set([1, 'x', { y: 2 }])) as Set<unknown>;
    expect(s).toBeInstanceOf(Set);
    expect([...s]).toEqual([1, 'x', { y: 2 }]);
  });

  it('BigInt of any size and sign', () => {
    for (const v of [0n, 5n, -5n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 200n + 7n, -(3n ** 150n)]) same(pass(v), v);
  });

  it('typed arrays keep their class and contents (-0 and NaN in floats)', () => {
    const f = pass(new Float64Array([-0, NaN, 1.5])) as Float64Array;
    expect(f).toBeInstanceOf(Float64Array);
    same(f[0], -0);
    same(f[1], NaN);
    expect(pass(new Int16Array([-3, 7]))).toEqual(new Int16Array([-3, 7]));
    expect(pass(new BigInt64Array([-5n]))).toEqual(new BigInt64Array([-5n]));
    const ab = pass(new Uint8Array([1, 2]).buffer) as ArrayBuffer;
    expect(ab).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(ab)]).toEqual([1, 2]);
    const dv = pass(new DataView(new Uint8Array([5, 6, 7]).buffer, 1)) as DataView;
    expect(dv).toBeInstanceOf(DataView);
    expect([dv.byteLength, dv.getUint8(0)]).toEqual([2, 6]);
  });

  it('Uint8Array, alone and nested, as copies that share no memory with the ring', () => {
    const back = pass({ data: new Uint8Array([9, 8, 7]), list: [new Uint8Array(0)] }) as { data: Uint8Array; list: Uint8Array[] };
    // FakeRing overwrote the ring after read: a view of the ring would now read a5 a5 a5.
    expect([...back.data]).toEqual([9, 8, 7]);
    expect(back.data.buffer).toBeInstanceOf(ArrayBuffer);
    expect(back.list[0]).toEqual(new Uint8Array(0));
    const big = new Uint8Array(1 << 20).fill(3);
    expect((pass(big) as Uint8Array).every((b) => b === 3)).toBe(true);
  });

  it('documented changes: class instances become plain objects, Buffer a Uint8Array, symbol keys are left out, shared references are copied', () => {
    class Point {
      constructor(public x: number) {}
      get double() {
        return this.x * 2;
      }
    }
    const p = pass(new Point(2)) as object;
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(p).toEqual({ x: 2 });
    expect((pass(Buffer.from('hi')) as Uint8Array).constructor).toBe(Uint8Array);
    expect(pass({ [Symbol('s')]: 1, a: 2 })).toEqual({ a: 2 });
    const shared = { s: 1 };
    const back = pass({ a: shared, b: shared }) as { a: object; b: object };
    expect(back.a).toEqual(back.b);
    expect(back.a).not.toBe(back.b);
    class Money {
      constructor(public cents: number) {}
      toJSON() {
        return `${this.cents / 100} EUR`;
      }
    }
    expect(pass({ price: new Money(250) })).toEqual({ price: '2.5 EUR' });
    // An old-style prototype's enumerable method is not an own field: left out, not refused.
    function Legacy(this: { n: number }) {
      this.n = -0;
    }
    Legacy.prototype.show = function () {
      return 'n';
    };
    const legacy = pass([new (Legacy as unknown as new () => object)()]) as [{ n: number }];
    expect(Object.keys(legacy[0])).toEqual(['n']);
    same(legacy[0].n, -0);
  });

  it(`nesting up to ${MAX_DEPTH} levels`, () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_DEPTH; i++) deep = { d: deep };
    expect(pass(deep)).toEqual(deep);
  });
});

describe('any: refused values', () => {
  const { pass } = stream();

  it('functions, alone or nested, with their path', () => {
    expect(refusal(() => pass(() => 1))).toBe(`cannot carry a function (at value): functions cannot cross threads on ${WHERE}`);
    expect(refusal(() => pass({ a: [1, { handler() {} }] }))).toContain('a function (at value.a[1].handler)');
    expect(refusal(() => pass(new Map([['k', () => 1]])))).toContain('a function');
  });

  it('symbols, alone or nested', () => {
    expect(refusal(() => pass(Symbol('s')))).toContain('a symbol (at value)');
    expect(refusal(() => pass({ 'a b': [Symbol('s')] }))).toContain('a symbol (at value["a b"][0])');
  });

  it('cycles, naming where the cycle closes', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = { back: a };
    expect(refusal(() => pass(a))).toBe(`cannot carry a cyclic object: value.self.back refers back to value on ${WHERE}`);
    const list: unknown[] = [1];
    list.push(list);
    expect(refusal(() => pass(list))).toContain('value[1] refers back to value');
  });

  it(`nesting deeper than ${MAX_DEPTH} levels`, () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_DEPTH; i++) deep = [deep];
    expect(refusal(() => pass(deep))).toContain(`nested deeper than ${MAX_DEPTH} levels`);
  });

  it('values msgpackr would write as {}: Promise, WeakMap, WeakSet, WeakRef, SharedArrayBuffer, Map subclasses', () => {
    class MyMap extends Map {}
    const cases: [unknown, string][] = [
      [Promise.resolve(1), 'a Promise'],
      [new WeakMap(), 'a WeakMap'],
      [{ w: new WeakSet() }, 'a WeakSet (at value.w)'],
      [[new WeakRef({})], 'a WeakRef (at value[0])'],
      [new SharedArrayBuffer(4), 'a SharedArrayBuffer'],
      [new MyMap(), 'a subclass of Map (MyMap)'],
    ];
    for (const [v, text] of cases) expect(refusal(() => pass(v))).toContain(text);
  });

  it('the stream goes on after a refusal', () => {
    refusal(() => pass({ f: () => 1 }));
    expect(pass({ f: 1 })).toEqual({ f: 1 });
  });
});

describe('any: records across separate encoder and decoder', () => {
  it('reuses a shape after its first message (smaller encodings) and decodes every one', () => {
    const { enc, pass } = stream();
    const sizes = [0, 1, 2, 3].map((i) => enc.encode({ id: i, name: 'n', pos: { x: i, y: 1 } }).length);
    expect(sizes[1]).toBeLessThan(sizes[0]);
    expect(sizes[2]).toBe(sizes[1]);
    const s = stream();
    for (let i = 0; i < 50; i++) expect(s.pass({ id: i, name: 'n', pos: { x: i, y: 1 } })).toEqual({ id: i, name: 'n', pos: { x: i, y: 1 } });
    void pass;
  });

  it('more than 64 shapes (ids reused), three rounds, interleaved with a repeated shape', () => {
    const { pass } = stream();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 200; i++) {
        const v = { ['k' + i]: i, round, nested: { ['n' + (i % 90)]: [i] } };
        expect(pass(v)).toEqual(v);
        expect(pass({ fixed: i })).toEqual({ fixed: i });
      }
    }
  });

  it('two streams interleaved on one thread keep their own records', () => {
    const a = stream();
    const b = stream();
    const fromA: Uint8Array[] = [];
    const fromB: Uint8Array[] = [];
    for (let i = 0; i < 100; i++) {
      fromA.push(a.enc.encode({ a: i, s: { t: i } }).slice());
      fromB.push(b.enc.encode({ b: i, ['x' + (i % 70)]: { t: i } }).slice());
    }
    for (let i = 0; i < 100; i++) {
      expect(b.dec.read(new DataView(fromB[i].buffer), fromB[i], 0, fromB[i].length)).toEqual({ b: i, ['x' + (i % 70)]: { t: i } });
      expect(a.dec.read(new DataView(fromA[i].buffer), fromA[i], 0, fromA[i].length)).toEqual({ a: i, s: { t: i } });
    }
  });

  it('recovers when msgpackr fails inside a message: the next message resets the decoder', () => {
    const { enc, pass } = stream();
    expect(pass({ warm: 1 })).toEqual({ warm: 1 });
    // A getter that throws on its second read passes the scan and fails inside msgpackr, after
    // the record definitions of both objects were written.
    let reads = 0;
    const bad = { fresh: 1, inner: { ok: 1, get boom(): number { if (++reads > 1) throw new Error('getter failed'); return 1; } } };
    expect(refusal(() => enc.encode(bad))).toContain('getter failed');
    // The same shapes again: the failed message defined them, but the decoder never saw it.
    expect(pass({ fresh: 2, inner: { ok: 1, boom: 2 } })).toEqual({ fresh: 2, inner: { ok: 1, boom: 2 } });
    expect(pass({ warm: 2 })).toEqual({ warm: 2 });
    // msgpackr's own refusal (writeFunction) inside an Error's cause, which the scan does not enter.
    const withCause = { fresh: 3, inner: { ok: 1, boom: new Error('x', { cause: () => 1 }) } };
    expect(refusal(() => enc.encode(withCause))).toContain('a function cannot be carried');
    expect(pass({ fresh: 4, inner: { ok: 1, boom: 3 } })).toEqual({ fresh: 4, inner: { ok: 1, boom: 3 } });
    expect(pass({ warm: 3 })).toEqual({ warm: 3 });
  });

  it('encodeRange gives the same bytes as encode, in a buffer the next call reuses', () => {
    const a = stream();
    const b = stream();
    const values: unknown[] = [{ n: 1 }, { n: 2 }, 'text', 7, [1, 2, 3], { n: 3, s: 'x'.repeat(5000) }, { n: 4 }, -0, { n: 5 }];
    let first: Uint8Array | null = null;
    for (const v of values) {
      const want = a.enc.encode(v).slice();
      const buf = b.enc.encodeRange(v);
      const got = buf.slice(b.enc.encodedStart, b.enc.encodedEnd);
      expect(Array.from(got)).toEqual(Array.from(want));
      first ??= buf;
      // The payload is read before the next encode, as the ring copies it.
      const back = b.dec.read(new DataView(got.buffer), got, 0, got.length);
      if (typeof v === 'number') same(back, v);
      else expect(back).toEqual(v);
    }
    // Small values land in one buffer, over and over: no view, no new buffer per message.
    expect(b.enc.encodeRange({ n: 6 })).toBe(first);
  });

  it('a getter that throws during the scan is E_ENCODE too', () => {
    const { pass } = stream();
    const bad = { get boom(): number { throw new Error('no'); } };
    expect(refusal(() => pass(bad))).toBe(`cannot carry the value on ${WHERE}: no`);
    expect(pass({ ok: 1 })).toEqual({ ok: 1 });
  });

  it('a seeded mix of 3000 values round-trips', () => {
    const { pass } = stream();
    const values = anyValues(7, 3000);
    const again = anyValues(7, 3000);
    values.forEach((v, i) => expect(pass(v), `seed 7 #${i}`).toEqual(again[i]));
  });

  it('encoded on a worker thread, decoded here, in order', async () => {
    const count = 2000;
    const sab = new SharedArrayBuffer(16 << 20);
    const worker = new Worker(new URL('../worker/boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./codec-worker.testutil.ts', import.meta.url).href, sab, seed: 11, count },
    });
    const error = await new Promise<unknown>((resolve) => {
      worker.once('message', () => resolve(undefined));
      worker.once('error', resolve);
    });
    await worker.terminate();
    expect(error).toBeUndefined();
    const dec = codecFor({ kind: 'any' }, WHERE);
    const bytes = new Uint8Array(sab);
    const view = new DataView(sab);
    const want = anyValues(11, count);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const len = view.getUint32(at, true);
      expect(dec.read(view, bytes, at + 4, len), `#${i}`).toEqual(want[i]);
      at += 4 + len;
    }
  });
});
