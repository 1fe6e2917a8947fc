/**
 * Machine-typed port declarations: compile-time checks of the payload types they give (run by
 * `tsc`; each `@ts-expect-error` fails the type-check if the error it expects goes away), and
 * run-time checks of the declarations themselves and of layoutOf.
 */
import { describe, expect, it } from 'vitest';
import { defineComponent } from './define.ts';
import { layoutOf, port, type PayloadOf, type StructOf } from './port.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

// Payload types.
assertType<Equal<PayloadOf<ReturnType<typeof port.f64>>, number>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.f32>>, number>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.i32>>, number>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.u32>>, number>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.i16>>, number>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.u16>>, number>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.i8>>, number>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.u8>>, number>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.bool>>, boolean>>();
assertType<Equal<PayloadOf<ReturnType<typeof port.bytes>>, Uint8Array>>();

const point = port.struct({ x: 'f64', y: 'i32', visible: 'bool' });
assertType<Equal<PayloadOf<typeof point>, { x: number; y: number; visible: boolean }>>();
assertType<Equal<StructOf<{ a: 'u8' }>, { a: number }>>();
/** Only type-checked, never called (some of these throw at run time). */
export function typeChecks(): void {
  // @ts-expect-error a field type must be a machine type
  port.struct({ x: 'string' });
  // @ts-expect-error a struct default must have every field
  port.struct({ x: 'f64', y: 'f64' }).default({ x: 1 });
  port.struct({ x: 'f64' }).default({ x: 1 }).optional();
  port.u8().array().optional();
}

const Mover = defineComponent({
  inPorts: { at: port.struct({ x: 'f64', y: 'f64' }), step: port.i32().default(1), raw: port.bytes().optional() },
  outPorts: { out: port.struct({ x: 'f64', y: 'f64' }), moved: port.bool(), sizes: port.u32().array() },
  process: {
    at(ip, out, ctx) {
      if (ip.kind !== 'data') return void out.out.send(ip);
      const { x, y }: { x: number; y: number } = ip.data;
      const step: number = ctx.params.step;
      out.out.emit({ x: x + step, y });
      out.moved.emit(true);
      // @ts-expect-error a bool port takes booleans
      out.moved.emit(1);
      // @ts-expect-error a struct port takes its fields
      out.out.emit({ x: 1 });
      out.sizes[0].emit(3);
      ctx.drop(ip);
    },
    raw(ip, _out, ctx) {
      if (ip.kind === 'data') {
        const bytes: Uint8Array = ip.data;
        void bytes;
      }
      ctx.drop(ip);
    },
  },
});

describe('machine port declarations', () => {
  it('are frozen plain data with their type', () => {
    for (const t of ['f64', 'f32', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8', 'bool', 'bytes'] as const) {
      const d = port[t]();
      expect(d.type).toBe(t);
      expect(Object.isFrozen(d)).toBe(true);
      expect(d.fields).toBeUndefined();
    }
  });

  it('struct keeps its fields in declared order, frozen, through optional/default/describe', () => {
    const d = port.struct({ b: 'u8', a: 'f32' }).describe('a pair').optional();
    expect(d.type).toBe('struct');
    expect(d.fields).toEqual([['b', 'u8'], ['a', 'f32']]);
    expect(Object.isFrozen(d.fields)).toBe(true);
    expect(Object.isFrozen(d.fields![0])).toBe(true);
    expect(d.required).toBe(false);
  });

  it('struct refuses empty field lists, bad names and non-machine types', () => {
    expect(() => port.struct({})).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => port.struct({ 'a-b': 'f64' })).toThrow(/not an identifier/);
    expect(() => port.struct({ ['__proto__']: 'f64' } as Record<string, 'f64'>)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => port.struct({ x: 'number' as 'f64' })).toThrow(/field x has type 'number'/);
    expect(() => port.struct(null as unknown as Record<string, 'f64'>)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it('a component with machine ports is valid', () => {
    expect(Mover.inPorts.at.fields).toEqual([['x', 'f64'], ['y', 'f64']]);
    expect(() =>
      defineComponent({ inPorts: { in: { ...port.any(), type: 'struct' } as never }, outPorts: {}, process: { in() {} } }),
    ).toThrow(/a struct port needs its fields/);
  });
});

describe('layoutOf', () => {
  it('gives machine, bytes and struct layouts, and any for every other type', () => {
    expect(layoutOf(port.i16())).toEqual({ kind: 'machine', type: 'i16' });
    expect(layoutOf(port.bool())).toEqual({ kind: 'machine', type: 'bool' });
    expect(layoutOf(port.bytes())).toEqual({ kind: 'bytes' });
    expect(layoutOf(port.struct({ x: 'f64', ok: 'bool' }))).toEqual({ kind: 'struct', fields: [['x', 'f64'], ['ok', 'bool']] });
    for (const d of [port.number(), port.boolean(), port.string(), port.json(), port.any(), port.object(), port.array()]) {
      expect(layoutOf(d)).toEqual({ kind: 'any' });
    }
  });

  it('refuses a struct declaration without fields', () => {
    expect(() => layoutOf({ type: 'struct' })).toThrow(expect.objectContaining({ code: 'E_COMPONENT' }));
  });
});
