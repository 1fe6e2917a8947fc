/**
 * Tests for the fixed codecs (machine types, struct) and bytes: round trips at the edges of
 * every type, refusals with E_ENCODE naming the connection, little-endian layout, and a seeded
 * random round trip. The `any` codec is tested in codec-any.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/rng.ts';
import { isWeftError } from '../errors.ts';
import { codecFor, describeLayout, edgeLayout, MACHINE_SIZE, MACHINE_TYPES, type Codec, type MachineType, type ValueLayout } from './codec.ts';
import { FakeRing } from './codec.testutil.ts';

const WHERE = 'edge A.OUT -> B.IN';
const ring = new FakeRing(2 << 20);

function codec(layout: ValueLayout): Codec {
  return codecFor(layout, WHERE);
}
const machine = (type: MachineType) => codec({ kind: 'machine', type });

/** Encode on one codec, decode on another made separately (as the two threads do). */
function roundTrip(layout: ValueLayout, value: unknown, offset?: number): unknown {
  return ring.pass(codec(layout), codec(layout), value, offset);
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

const RANGE: Record<string, [number, number]> = {
  i32: [-(2 ** 31), 2 ** 31 - 1],
  u32: [0, 2 ** 32 - 1],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i8: [-128, 127],
  u8: [0, 255],
};

describe('machine types', () => {
  it('have their sizes, and fixedSize says so', () => {
    for (const t of MACHINE_TYPES) expect(machine(t).fixedSize).toBe(MACHINE_SIZE[t]);
    expect(MACHINE_SIZE).toEqual({ f64: 8, f32: 4, i32: 4, u32: 4, i16: 2, u16: 2, i8: 1, u8: 1, bool: 1 });
  });

  it('f64 carries every number exactly: NaN, -0, ±Infinity, extremes', () => {
    for (const v of [0, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE, 1 / 3, 2 ** 53 + 2, -1e-300]) {
      expect(Object.is(roundTrip({ kind: 'machine', type: 'f64' }, v), v), String(v)).toBe(true);
    }
  });

  it('f32 rounds like Math.fround and keeps NaN, -0 and ±Infinity', () => {
    for (const v of [0, -0, NaN, Infinity, -Infinity, 0.1, 1 / 3, 16777217, 3.4028234663852886e38, 1e39, -1e-50, 1.4e-45]) {
      expect(Object.is(roundTrip({ kind: 'machine', type: 'f32' }, v), Math.fround(v)), String(v)).toBe(true);
    }
  });

  it('integer types carry their min and max, and refuse one past them', () => {
    for (const [t, [min, max]] of Object.entries(RANGE)) {
      const layout: ValueLayout = { kind: 'machine', type: t as MachineType };
      for (const v of [min, max, 0, 1, min + 1, max - 1]) expect(roundTrip(layout, v), `${t} ${v}`).toBe(v);
      expect(refusal(() => roundTrip(layout, min - 1))).toBe(`value ${min - 1} does not fit ${t} on ${WHERE}`);
      expect(refusal(() => roundTrip(layout, max + 1))).toBe(`value ${max + 1} does not fit ${t} on ${WHERE}`);
    }
  });

  it('integer types refuse fractions, NaN, infinities and non-numbers with a clear message', () => {
    const i32: ValueLayout = { kind: 'machine', type: 'i32' };
    expect(refusal(() => roundTrip(i32, 3.5))).toBe(`value 3.5 does not fit i32 on ${WHERE}`);
    expect(refusal(() => roundTrip(i32, NaN))).toBe(`value NaN does not fit i32 on ${WHERE}`);
    expect(refusal(() => roundTrip(i32, Infinity))).toBe(`value Infinity does not fit i32 on ${WHERE}`);
    expect(refusal(() => roundTrip(i32, '5'))).toBe(`value "5" (a string) does not fit i32 on ${WHERE}`);
    expect(refusal(() => roundTrip(i32, 5n))).toBe(`value 5n (a bigint) does not fit i32 on ${WHERE}`);
    for (const t of ['u32', 'i16', 'u16', 'i8', 'u8'] as const) {
      for (const bad of [0.5, -0.5, NaN, Infinity, -Infinity, null, undefined, true, {}]) refusal(() => machine(t).write(bad, ring.view, 0));
    }
    expect(refusal(() => roundTrip({ kind: 'machine', type: 'u8' }, -1))).toBe(`value -1 does not fit u8 on ${WHERE}`);
  });

  it('integer types store -0 as 0; floats refuse non-numbers', () => {
    for (const t of Object.keys(RANGE)) expect(Object.is(roundTrip({ kind: 'machine', type: t as MachineType }, -0), 0)).toBe(true);
    for (const t of ['f64', 'f32'] as const) {
      expect(refusal(() => machine(t).write('1', ring.view, 0))).toBe(`value "1" (a string) does not fit ${t} on ${WHERE}`);
      refusal(() => machine(t).write(null, ring.view, 0));
      refusal(() => machine(t).write(1n, ring.view, 0));
    }
  });

  it('bool carries booleans only', () => {
    const bool: ValueLayout = { kind: 'machine', type: 'bool' };
    expect(roundTrip(bool, true)).toBe(true);
    expect(roundTrip(bool, false)).toBe(false);
    expect(refusal(() => roundTrip(bool, 1))).toBe(`value 1 does not fit bool on ${WHERE}`);
    expect(refusal(() => roundTrip(bool, 'true'))).toBe(`value "true" (a string) does not fit bool on ${WHERE}`);
  });

  it('writes little-endian at any offset, aligned or not', () => {
    const view = new DataView(new ArrayBuffer(16));
    const bytes = new Uint8Array(view.buffer);
    machine('i32').write(1, view, 3);
    expect([...bytes.subarray(3, 7)]).toEqual([1, 0, 0, 0]);
    machine('f64').write(1, view, 5);
    expect([...bytes.subarray(5, 13)]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    machine('u16').write(0x1234, view, 0);
    expect([...bytes.subarray(0, 2)]).toEqual([0x34, 0x12]);
    expect(machine('u16').read(view, bytes, 0, 2)).toBe(0x1234);
  });

  it('fixed codecs have no encode() and variable ones no write()', () => {
    expect(() => machine('i32').encode(1)).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
    expect(() => codec({ kind: 'bytes' }).write(new Uint8Array(1), ring.view, 0)).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
    expect(() => codec({ kind: 'any' }).write(1, ring.view, 0)).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
  });

  it('codecFor refuses what is not a layout', () => {
    expect(() => codecFor({ kind: 'machine', type: 'i64' as MachineType }, WHERE)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => codecFor({ kind: 'nope' } as unknown as ValueLayout, WHERE)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});

describe('struct', () => {
  const point: ValueLayout = { kind: 'struct', fields: [['x', 'f64'], ['y', 'i32'], ['ok', 'bool']] };

  it('is packed in declared order with no padding', () => {
    const c = codec(point);
    expect(c.fixedSize).toBe(13);
    const view = new DataView(new ArrayBuffer(13));
    c.write({ x: 1, y: -2, ok: true }, view, 0);
    expect(view.getFloat64(0, true)).toBe(1);
    expect(view.getInt32(8, true)).toBe(-2);
    expect(view.getUint8(12)).toBe(1);
    expect(describeLayout(point)).toBe('struct{x:f64,y:i32,ok:bool}');
  });

  it('decodes a fresh plain object with the fields in declared order', () => {
    const back = roundTrip(point, { ok: false, y: 7, x: -0 }, 1) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['x', 'y', 'ok']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.is(back.x, -0)).toBe(true);
    expect(back).toEqual({ x: -0, y: 7, ok: false });
  });

  it('refuses a missing field, naming it', () => {
    expect(refusal(() => roundTrip(point, { x: 1, ok: true }))).toBe(`struct value has no field y (i32) on ${WHERE}`);
  });

  it('refuses a field that does not fit its type, naming the field', () => {
    expect(refusal(() => roundTrip(point, { x: 1, y: 2.5, ok: true }))).toBe(`value 2.5 (field y) does not fit i32 on ${WHERE}`);
    expect(refusal(() => roundTrip(point, { x: 1, y: 2, ok: 1 }))).toBe(`value 1 (field ok) does not fit bool on ${WHERE}`);
  });

  it('refuses fields it does not declare, and values that are not objects', () => {
    expect(refusal(() => roundTrip(point, { x: 1, y: 2, ok: true, z: 3 }))).toBe(
      `struct value has field z that struct{x:f64,y:i32,ok:bool} does not declare on ${WHERE}`,
    );
    for (const bad of [null, 5, 'x', [1, 2, true], undefined]) refusal(() => roundTrip(point, bad));
  });

  it('accepts a class instance with the fields as its own properties', () => {
    class P {
      constructor(
        public x: number,
        public y: number,
        public ok: boolean,
      ) {}
      norm() {
        return Math.hypot(this.x, this.y);
      }
    }
    expect(roundTrip(point, new P(1, 2, true))).toEqual({ x: 1, y: 2, ok: true });
    // An old-style prototype's enumerable method is not a field of the value.
    const proto = { describe() { return 'p'; } };
    expect(roundTrip(point, Object.assign(Object.create(proto), { x: 1, y: 2, ok: false }))).toEqual({ x: 1, y: 2, ok: false });
  });

  it('codecFor refuses bad field lists with E_USAGE', () => {
    for (const fields of [[], [['x', 'f64'], ['x', 'i32']], [['1x', 'f64']], [['__proto__', 'f64']], [['x', 'i64']], [['x', 'string']]]) {
      expect(() => codecFor({ kind: 'struct', fields } as unknown as ValueLayout, WHERE), JSON.stringify(fields)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    }
  });
});

describe('bytes', () => {
  const bytes: ValueLayout = { kind: 'bytes' };

  it('carries empty and 1 MB payloads, decoding to a copy over an ordinary ArrayBuffer', () => {
    for (const size of [0, 1, 1 << 20]) {
      const data = new Uint8Array(size).map((_, i) => (i * 31) & 0xff);
      const back = roundTrip(bytes, data) as Uint8Array;
      expect(back).toBeInstanceOf(Uint8Array);
      expect(back.buffer).toBeInstanceOf(ArrayBuffer);
      expect(back.length).toBe(size);
      expect(Buffer.from(back).equals(Buffer.from(data))).toBe(true); // FakeRing scribbled over the ring after read
    }
  });

  it('takes a Buffer (a Uint8Array) and gives back a plain Uint8Array', () => {
    const back = roundTrip(bytes, Buffer.from('hello')) as Uint8Array;
    expect(back.constructor).toBe(Uint8Array);
    expect(new TextDecoder().decode(back)).toBe('hello');
  });

  it('copies even when the ring is read through a Buffer', () => {
    const sab = new SharedArrayBuffer(8);
    const asBuffer = Buffer.from(sab);
    asBuffer.set([1, 2, 3], 2);
    const back = codec(bytes).read(new DataView(sab), asBuffer, 2, 3) as Uint8Array;
    asBuffer.fill(0);
    expect([...back]).toEqual([1, 2, 3]);
  });

  it('refuses what is not a Uint8Array', () => {
    expect(refusal(() => roundTrip(bytes, 'abc'))).toBe(`value "abc" (a string) does not fit bytes (a Uint8Array) on ${WHERE}`);
    for (const bad of [[1, 2], new Int8Array(2), new ArrayBuffer(2), null, undefined, 3]) refusal(() => roundTrip(bytes, bad));
  });
});

describe('edgeLayout', () => {
  it("uses the in-port's layout unless it is any", () => {
    const i32: ValueLayout = { kind: 'machine', type: 'i32' };
    const any: ValueLayout = { kind: 'any' };
    expect(edgeLayout({ kind: 'machine', type: 'i16' }, i32)).toBe(i32);
    expect(edgeLayout(any, i32)).toBe(i32);
    expect(edgeLayout(i32, any)).toBe(i32);
    expect(edgeLayout(any, any)).toBe(any);
  });
});

it('random round trips: 5000 machine and struct values at random offsets (seeded)', () => {
  const seed = 20261201;
  const r = rng(seed);
  const gen: Record<MachineType, () => number | boolean> = {
    f64: () => (r() < 0.1 ? [NaN, -0, Infinity, -Infinity][Math.floor(r() * 4)] : (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20)),
    f32: () => (r() - 0.5) * 10 ** Math.floor(r() * 20 - 10),
    i32: () => Math.floor(r() * 2 ** 32) - 2 ** 31,
    u32: () => Math.floor(r() * 2 ** 32),
    i16: () => Math.floor(r() * 65536) - 32768,
    u16: () => Math.floor(r() * 65536),
    i8: () => Math.floor(r() * 256) - 128,
    u8: () => Math.floor(r() * 256),
    bool: () => r() < 0.5,
  };
  const expected = (t: MachineType, v: number | boolean) => (t === 'f32' ? Math.fround(v as number) : v);
  const structLayout: ValueLayout = { kind: 'struct', fields: MACHINE_TYPES.map((t) => [`f_${t}`, t] as const) };
  for (let i = 0; i < 5000; i++) {
    const offset = Math.floor(r() * 1000);
    if (r() < 0.8) {
      const t = MACHINE_TYPES[Math.floor(r() * MACHINE_TYPES.length)];
      const v = gen[t]();
      expect(Object.is(roundTrip({ kind: 'machine', type: t }, v, offset), expected(t, v)), `seed ${seed} #${i}: ${t} ${String(v)}`).toBe(true);
    } else {
      const value = Object.fromEntries(MACHINE_TYPES.map((t) => [`f_${t}`, gen[t]()]));
      const want = Object.fromEntries(MACHINE_TYPES.map((t) => [`f_${t}`, expected(t, value[`f_${t}`])]));
      expect(roundTrip(structLayout, value, offset), `seed ${seed} #${i}`).toEqual(want);
    }
  }
});
