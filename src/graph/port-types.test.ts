/**
 * Tests for machine port types in graph/: the compatibility table of port-types.ts, validate's
 * E_PORT_TYPE on edges between them, and IIP conversion (iip-convert.ts) with range checks and
 * E_IIP at the IIP's position.
 */
import { describe, expect, it } from 'vitest';
import { parseFbp } from './fbp/parser.ts';
import { convertIip } from './iip-convert.ts';
import { compatible, typeLabel, type TypeShape } from './port-types.ts';
import { validate, type ComponentShape, type PortShape } from './validate.ts';

const NUMERIC = ['f64', 'f32', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8'];
const XY: TypeShape = { type: 'struct', fields: [['x', 'f64'], ['y', 'i32']] };

const ok = (from: string | TypeShape, to: string | TypeShape) =>
  compatible(typeof from === 'string' ? { type: from } : from, typeof to === 'string' ? { type: to } : to);

describe('compatible(from, to)', () => {
  it('numeric machine types: with number, any and json both ways, and with themselves', () => {
    for (const t of NUMERIC) {
      for (const other of [t, 'number', 'any', 'json']) {
        expect(ok(t, other), `${t} -> ${other}`).toBe(true);
        expect(ok(other, t), `${other} -> ${t}`).toBe(true);
      }
      for (const other of ['string', 'boolean', 'bool', 'object', 'array', 'bytes', 'struct']) {
        expect(ok(t, other), `${t} -> ${other}`).toBe(false);
        expect(ok(other, t), `${other} -> ${t}`).toBe(false);
      }
    }
  });

  it('between numeric machine types: exactly the widening conversions', () => {
    const widening = new Set([
      'i8>i16', 'i8>i32', 'i8>f32', 'i8>f64',
      'u8>u16', 'u8>i16', 'u8>u32', 'u8>i32', 'u8>f32', 'u8>f64',
      'i16>i32', 'i16>f32', 'i16>f64',
      'u16>u32', 'u16>i32', 'u16>f32', 'u16>f64',
      'i32>f64', 'u32>f64', 'f32>f64',
    ]);
    for (const a of NUMERIC) {
      for (const b of NUMERIC) {
        if (a !== b) expect(ok(a, b), `${a} -> ${b}`).toBe(widening.has(`${a}>${b}`));
      }
    }
    expect(ok('f64', 'i32')).toBe(false);
    expect(ok('i32', 'f32')).toBe(false);
    expect(ok('i8', 'u8')).toBe(false);
  });

  it('bool with boolean, any, json and itself only', () => {
    for (const t of ['bool', 'boolean', 'any', 'json']) expect(ok('bool', t) && ok(t, 'bool'), t).toBe(true);
    for (const t of ['number', 'i32', 'u8', 'string', 'bytes', 'object']) expect(ok('bool', t) || ok(t, 'bool'), t).toBe(false);
  });

  it('bytes with bytes and any only', () => {
    for (const t of ['bytes', 'any']) expect(ok('bytes', t) && ok(t, 'bytes'), t).toBe(true);
    for (const t of ['json', 'array', 'object', 'string', 'u8', 'number']) expect(ok('bytes', t) || ok(t, 'bytes'), t).toBe(false);
  });

  it('struct with the same fields, object, any and json', () => {
    expect(ok(XY, { type: 'struct', fields: [['x', 'f64'], ['y', 'i32']] })).toBe(true);
    for (const t of ['object', 'any', 'json']) expect(ok(XY, t) && ok(t, XY), t).toBe(true);
    expect(ok(XY, { type: 'struct', fields: [['y', 'i32'], ['x', 'f64']] })).toBe(false); // order
    expect(ok(XY, { type: 'struct', fields: [['x', 'f64'], ['y', 'i16']] })).toBe(false); // a field type
    expect(ok(XY, { type: 'struct', fields: [['x', 'f64']] })).toBe(false); // a field less
    expect(ok(XY, { type: 'struct' })).toBe(false); // fields unknown
    for (const t of ['array', 'number', 'f64', 'bytes']) expect(ok(XY, t) || ok(t, XY), t).toBe(false);
  });

  it('the existing types keep their rules', () => {
    expect(ok('string', 'number')).toBe(false);
    expect(ok('string', 'json')).toBe(true);
    expect(ok('object', 'any')).toBe(true);
  });

  it('labels structs with their fields', () => {
    expect(typeLabel(XY)).toBe('struct{x:f64,y:i32}');
    expect(typeLabel({ type: 'u8' })).toBe('u8');
  });
});

describe('validate with machine types', () => {
  const p = (type: string, extra: Partial<PortShape> = {}): PortShape => ({ type, isArray: false, required: true, hasDefault: false, ...extra });
  const catalog: Record<string, ComponentShape> = {
    'm/F64': { inPorts: { IN: p('f64') }, outPorts: { OUT: p('f64') } },
    'm/I32': { inPorts: { IN: p('i32'), SCALE: p('f32', { required: false }) }, outPorts: { OUT: p('i32') } },
    'm/I16': { inPorts: { IN: p('i16') }, outPorts: { OUT: p('i16') } },
    'm/Num': { inPorts: { IN: p('number') }, outPorts: { OUT: p('number') } },
    'm/Flag': { inPorts: { IN: p('bool') }, outPorts: { OUT: p('bool') } },
    'm/Bytes': { inPorts: { IN: p('bytes') }, outPorts: { OUT: p('bytes') } },
    'm/Json': { inPorts: { IN: p('json') }, outPorts: { OUT: p('json') } },
    'm/XY': { inPorts: { IN: p('struct', { fields: XY.fields }) }, outPorts: { OUT: p('struct', { fields: XY.fields }) } },
    'm/YX': { inPorts: { IN: p('struct', { fields: [['y', 'i32'], ['x', 'f64']] }) }, outPorts: {} },
  };
  const components = { get: (n: string) => catalog[n], names: () => Object.keys(catalog) };
  const run = (text: string) => {
    const parsed = parseFbp(text);
    expect(parsed.diagnostics).toEqual([]);
    return validate(parsed.graph, components);
  };
  const codes = (text: string) => run(text).diagnostics.map((d) => `${d.code} ${d.span!.line}:${d.span!.col}`);

  it('accepts widening and number edges, refuses narrowing with a hint', () => {
    expect(codes("'1' -> IN A(m/I16) OUT -> IN B(m/I32) OUT -> IN C(m/F64)")).toEqual([]);
    expect(codes("'1' -> IN A(m/Num) OUT -> IN B(m/I32) OUT -> IN C(m/Num)")).toEqual([]);
    const d = run("'1' -> IN A(m/F64)\nA OUT -> IN B(m/I32)").diagnostics;
    expect(d.map((x) => `${x.code} ${x.span!.line}:${x.span!.col}`)).toEqual(['E_PORT_TYPE 2:3']);
    expect(d[0].message).toBe("edge A.OUT -> B.IN connects out-port type 'f64' to in-port type 'i32'");
    expect(d[0].hint).toContain('machine types only widen');
  });

  it('checks bytes, bool and struct edges', () => {
    expect(codes("'x' -> IN A(m/Bytes) OUT -> IN B(m/Bytes)")).toEqual([]);
    expect(codes("'x' -> IN A(m/Bytes)\nA OUT -> IN B(m/Json)")).toEqual(['E_PORT_TYPE 2:3']);
    expect(codes("'true' -> IN A(m/Flag) OUT -> IN B(m/Json)")).toEqual([]);
    expect(codes('\'{"x":1,"y":2}\' -> IN A(m/XY) OUT -> IN B(m/XY)')).toEqual([]);
    const d = run('\'{"x":1,"y":2}\' -> IN A(m/XY)\nA OUT -> IN B(m/YX)').diagnostics;
    expect(d.map((x) => x.code)).toEqual(['E_PORT_TYPE']);
    expect(d[0].message).toContain("'struct{x:f64,y:i32}' to in-port type 'struct{y:i32,x:f64}'");
  });

  it('converts IIPs to machine values and reports those out of range at the IIP', () => {
    const { graph, diagnostics } = run("'-0' -> IN A(m/I32)\n'0.1' -> SCALE A\n'{\"y\": 2, \"x\": 1.5}' -> IN B(m/XY)");
    expect(diagnostics).toEqual([]);
    expect(graph.iips.map((i) => i.data)).toEqual([0, Math.fround(0.1), { x: 1.5, y: 2 }]);
    expect(Object.is(graph.iips[0].data, 0)).toBe(true);
    const bad = run("'1' -> IN A(m/F64)\n  '40000' -> IN B(m/I16)").diagnostics;
    expect(bad.map((x) => `${x.code} ${x.span!.line}:${x.span!.col}`)).toEqual(['E_IIP 2:3']);
    expect(bad[0].message).toBe("IIP for B.IN: 40000 does not fit i16 (an integer from -32768 to 32767); port IN of node 'B' (m/I16) takes i16");
  });
});

describe('convertIip for machine types', () => {
  const value = (data: unknown, type: string, fromText = true, fields?: TypeShape['fields']) => {
    const c = convertIip(data, fromText, type, fields);
    if (!c.ok) throw new Error(c.reason);
    return c.value;
  };
  const reason = (data: unknown, type: string, fromText = true, fields?: TypeShape['fields']) => {
    const c = convertIip(data, fromText, type, fields);
    return c.ok ? `ok: ${String(c.value)}` : c.reason;
  };

  it('integers: range, fractions, text that is not a number', () => {
    expect(value('255', 'u8')).toBe(255);
    expect(value('-128', 'i8')).toBe(-128);
    expect(value('4294967295', 'u32')).toBe(4294967295);
    expect(value(-2147483648, 'i32', false)).toBe(-2147483648);
    expect(reason('256', 'u8')).toBe('256 does not fit u8 (an integer from 0 to 255)');
    expect(reason('-1', 'u16')).toBe('-1 does not fit u16 (an integer from 0 to 65535)');
    expect(reason('3.5', 'i32')).toBe('3.5 does not fit i32 (an integer from -2147483648 to 2147483647)');
    expect(reason('abc', 'i32')).toBe("'abc' is not a number");
    expect(reason('', 'u8')).toBe("'' is not a number");
    expect(reason('NaN', 'i32')).toBe("'NaN' is not a number");
    expect(reason(true, 'i32', false)).toBe('true is a boolean, not an i32');
  });

  it('floats: NaN and infinities by name, f32 rounds and has a range', () => {
    expect(value('NaN', 'f64')).toBeNaN();
    expect(value('-Infinity', 'f32')).toBe(-Infinity);
    expect(Object.is(value('-0', 'f64'), -0)).toBe(true);
    expect(value('0.1', 'f32')).toBe(Math.fround(0.1));
    expect(value(0.1, 'f64', false)).toBe(0.1);
    expect(reason('1e39', 'f32')).toBe('1e+39 is beyond the range of f32 (±3.4028234663852886e38)');
    expect(reason('nan', 'f64')).toBe("'nan' is not a number");
  });

  it('bool, bytes', () => {
    expect(value('true', 'bool')).toBe(true);
    expect(reason('1', 'bool')).toBe("'1' is not true or false");
    expect(value('hé', 'bytes')).toEqual(new Uint8Array([0x68, 0xc3, 0xa9]));
    expect(value([1, 2, 255], 'bytes', false)).toEqual(new Uint8Array([1, 2, 255]));
    expect(reason([1, 256], 'bytes', false)).toContain('not bytes');
  });

  it('struct: exactly the declared fields, each in range, in declared order', () => {
    const fields = [['x', 'f64'], ['n', 'u8'], ['on', 'bool']] as const;
    expect(Object.keys(value('{"on": true, "n": 3, "x": 1}', 'struct', true, fields) as object)).toEqual(['x', 'n', 'on']);
    expect(value({ x: 1, n: 2, on: false }, 'struct', false, fields)).toEqual({ x: 1, n: 2, on: false });
    expect(reason('{"x": 1, "on": true}', 'struct', true, fields)).toBe('the struct has no field n (u8)');
    expect(reason('{"x": 1, "n": 300, "on": true}', 'struct', true, fields)).toBe('field n: 300 does not fit u8 (an integer from 0 to 255)');
    expect(reason('{"x": 1, "n": 3, "on": 1}', 'struct', true, fields)).toBe('field on: 1 is a number, not a boolean');
    expect(reason('{"x": 1, "n": 3, "on": true, "z": 0}', 'struct', true, fields)).toBe('the struct does not declare field z');
    expect(reason('[1]', 'struct', true, fields)).toBe("'[1]' is JSON but not an object");
  });
});
