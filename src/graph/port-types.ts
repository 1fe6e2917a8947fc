/**
 * Port types as graph/ sees them: names (component/port.ts declares them; graph/ imports
 * nothing, so the machine types are listed here again), labels for messages, and which out-port
 * type may feed which in-port type.
 *
 * Compatibility of an edge `from -> to` (checked at load time, E_PORT_TYPE otherwise):
 *   same type                     yes (struct: the same fields, types and order)
 *   any on either side            yes
 *   json on either side           yes, except with bytes (a Uint8Array is not JSON)
 *   number <-> numeric machine    yes, both ways: `number` promises no width, so a value that
 *                                 does not fit is refused when it is sent across threads
 *                                 (E_ENCODE), never at load time
 *   machine A -> machine B        only widening, where every value of A is exactly a value of B:
 *                                 i8 -> i16, i32, f32, f64      u8 -> u16, i16, u32, i32, f32, f64
 *                                 i16 -> i32, f32, f64          u16 -> u32, i32, f32, f64
 *                                 i32 -> f64    u32 -> f64      f32 -> f64
 *                                 (i32 -> f32 is refused: 2^24 + 1 has no float32)
 *   bool <-> boolean              yes
 *   bytes                         only bytes and any
 *   shared                        only shared and any (arena views; a Uint8Array port would
 *                                 copy them, and they are not JSON)
 *   struct <-> object             yes, both ways
 *   anything else                 no (f64 -> i32, i32 -> u32, bool -> number, bytes -> json, ...)
 */

export type StructFieldShapes = ReadonlyArray<readonly [string, string]>;

/** The part of a port shape that types are about. */
export interface TypeShape {
  type: string;
  /** `struct` only: field names and machine types in declared order. */
  fields?: StructFieldShapes;
}

/** Numeric machine types: range and whether values must be integers. */
export const NUMERIC: Readonly<Record<string, { min: number; max: number; integer: boolean }>> = Object.freeze({
  f64: { min: -Infinity, max: Infinity, integer: false },
  f32: { min: -Infinity, max: Infinity, integer: false },
  i32: { min: -(2 ** 31), max: 2 ** 31 - 1, integer: true },
  u32: { min: 0, max: 2 ** 32 - 1, integer: true },
  i16: { min: -32768, max: 32767, integer: true },
  u16: { min: 0, max: 65535, integer: true },
  i8: { min: -128, max: 127, integer: true },
  u8: { min: 0, max: 255, integer: true },
});

export function isNumericMachine(type: string): boolean {
  return Object.hasOwn(NUMERIC, type);
}

/** Widening conversions between numeric machine types (besides a type to itself). */
const WIDENS_TO: Readonly<Record<string, readonly string[]>> = {
  i8: ['i16', 'i32', 'f32', 'f64'],
  u8: ['u16', 'i16', 'u32', 'i32', 'f32', 'f64'],
  i16: ['i32', 'f32', 'f64'],
  u16: ['u32', 'i32', 'f32', 'f64'],
  i32: ['f64'],
  u32: ['f64'],
  f32: ['f64'],
  f64: [],
};

/** The type as messages write it: `i32`, `struct{x:f64,y:i32}`. */
export function typeLabel(shape: TypeShape): string {
  if (shape.type !== 'struct' || !shape.fields) return shape.type;
  return `struct{${shape.fields.map(([n, t]) => `${n}:${t}`).join(',')}}`;
}

/** Whether an out-port of type `from` may feed an in-port of type `to` (see the table above). */
export function compatible(from: TypeShape, to: TypeShape): boolean {
  const a = from.type;
  const b = to.type;
  if (a === 'struct' && b === 'struct') return sameFields(from.fields, to.fields);
  if (a === b || a === 'any' || b === 'any') return true;
  if (a === 'bytes' || b === 'bytes' || a === 'shared' || b === 'shared') return false;
  if (a === 'json' || b === 'json') return true;
  if (isNumericMachine(a)) return b === 'number' || WIDENS_TO[a].includes(b);
  if (isNumericMachine(b)) return a === 'number';
  if (a === 'struct' || b === 'struct') return a === 'object' || b === 'object';
  return (a === 'bool' && b === 'boolean') || (a === 'boolean' && b === 'bool');
}

/** Struct shapes without fields (a lookup that dropped them) are never the same struct. */
function sameFields(a: StructFieldShapes | undefined, b: StructFieldShapes | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return a.every(([name, type], i) => b[i][0] === name && b[i][1] === type);
}
