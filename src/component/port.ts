/**
 * Port declarations: what a component says about each of its ports, as data that TypeScript
 * can read the payload type from.
 *
 *   port.string()                 an in- or out-port carrying strings
 *   port.number().optional()      may be left unconnected
 *   port.any().array()            an array port: elements IN[0], IN[1], ...
 *   port.number().default(10)     an optional port whose value defaults to 10 when no IIP/edge
 *
 * In-ports are required unless `.optional()` or `.default(v)`; out-ports are always optional
 * (a send on an unconnected out-port returns false and the IP is dropped and counted).
 *
 * Machine types say how a value is laid out when its connection crosses worker threads
 * (shm/codec.ts): one number in a fixed width, a boolean, raw bytes, or a fixed record:
 *
 *   port.i32()                     integers from -2^31 to 2^31-1 (also u32, i16, u16, i8, u8)
 *   port.f64(), port.f32()         any number (f32 rounds to float32)
 *   port.bool()                    booleans in one byte
 *   port.bytes()                   Uint8Array payloads (copied when they cross threads)
 *   port.struct({x: 'f64', y: 'i32'})   `{x: number; y: number}` in 12 bytes
 *   port.shared<Float64Array>()    typed arrays in the network's shared arena (`ctx.alloc`):
 *                                  they cross threads as a handle, never copied; the block is
 *                                  freed when its IP is dropped (the type argument is for
 *                                  TypeScript only; any typed-array kind may travel)
 *
 * On one thread a machine-typed port carries its values as they are; across threads a value
 * that does not fit the type fails the sending box (E_ENCODE). `layoutOf(decl)` gives the
 * layout; every other type is carried as `any`.
 *
 * Declared types are checked across every edge at load time (graph/port-types.ts has the
 * rules) and are used to convert `.fbp` IIP text. `any` is compatible with everything, `json`
 * with everything but bytes and shared; shared only with shared and any, and takes no IIP.
 */
import { WeftError } from '../errors.ts';
import type { ArenaView } from '../shm/arena-views.ts';
import type { MachineType, ValueLayout } from '../shm/codec.ts';

export type { MachineType } from '../shm/codec.ts';
export type { ArenaView, ArenaViewType } from '../shm/arena-views.ts';

export type PortTypeName =
  | 'any' | 'string' | 'number' | 'boolean' | 'object' | 'array' | 'json'
  | MachineType | 'bytes' | 'struct' | 'shared';

const TYPE_NAMES = [
  'any', 'string', 'number', 'boolean', 'object', 'array', 'json',
  'f64', 'f32', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8', 'bool', 'bytes', 'struct', 'shared',
] as const satisfies readonly PortTypeName[];
/** Compile-time check that TYPE_NAMES lists every PortTypeName. */
const allTypeNames: Exclude<PortTypeName, (typeof TYPE_NAMES)[number]> extends never ? true : false = true;
void allTypeNames;

/** Every PortTypeName, for checking declarations made without the `port` helpers. */
export const PORT_TYPE_NAMES: ReadonlySet<string> = new Set<string>(TYPE_NAMES);

/** The fields of `port.struct`, in declared order. */
export type StructFields = ReadonlyArray<readonly [string, MachineType]>;

/** A port declaration. `T` is the payload type; `A` says whether it is an array port. */
export interface PortDecl<T = unknown, A extends boolean = boolean> {
  readonly type: PortTypeName;
  readonly isArray: A;
  readonly required: boolean;
  readonly description?: string;
  readonly hasDefault: boolean;
  readonly defaultValue?: T;
  /** `struct` only: the fields, in declared order. */
  readonly fields?: StructFields;
  /** Phantom field: carries T for type inference; never set at run time. */
  readonly __type?: T;
  optional(): PortDecl<T, A>;
  array(): PortDecl<T, true>;
  describe(text: string): PortDecl<T, A>;
  default(value: T): PortDecl<T, A>;
}

type Fields = {
  type: PortTypeName;
  isArray: boolean;
  required: boolean;
  description?: string;
  hasDefault: boolean;
  defaultValue?: unknown;
  fields?: StructFields;
};

function make<T, A extends boolean>(f: Fields): PortDecl<T, A> {
  const decl = {
    ...f,
    optional: () => make<T, A>({ ...f, required: false }),
    array: () => make<T, true>({ ...f, isArray: true }),
    describe: (text: string) => make<T, A>({ ...f, description: text }),
    default: (value: T) => make<T, A>({ ...f, required: false, hasDefault: true, defaultValue: value }),
  };
  return Object.freeze(decl) as unknown as PortDecl<T, A>;
}

function base<T>(type: PortTypeName): PortDecl<T, false> {
  return make<T, false>({ type, isArray: false, required: true, hasDefault: false });
}

/** JSON values, for `port.json()`. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The payload type of `port.struct(fields)`: numbers, and booleans for `bool` fields. */
export type StructOf<F extends Record<string, MachineType>> = {
  -readonly [K in keyof F]: F[K] extends 'bool' ? boolean : number;
};

// The same rules as shm/codec.ts `structProblem`, repeated: component/ takes only types from
// shm/, so that declaring ports does not load msgpackr.
const FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MACHINE: ReadonlySet<string> = new Set(['f64', 'f32', 'i32', 'u32', 'i16', 'u16', 'i8', 'u8', 'bool']);

function struct<const F extends Record<string, MachineType>>(spec: F): PortDecl<StructOf<F>, false> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new WeftError('E_USAGE', "port.struct takes an object of field types, such as {x: 'f64', y: 'i32'}");
  }
  const entries = Object.entries(spec);
  if (entries.length === 0) throw new WeftError('E_USAGE', 'port.struct needs at least one field');
  for (const [name, type] of entries) {
    if (!FIELD_NAME.test(name) || name === '__proto__') {
      throw new WeftError('E_USAGE', `port.struct: field name '${name}' is not an identifier`);
    }
    if (!MACHINE.has(type)) {
      throw new WeftError('E_USAGE', `port.struct: field ${name} has type '${String(type)}'; a field is one of ${[...MACHINE].join(', ')}`);
    }
  }
  const fields: StructFields = Object.freeze(entries.map(([n, t]) => Object.freeze([n, t] as const)));
  return make<StructOf<F>, false>({ type: 'struct', isArray: false, required: true, hasDefault: false, fields });
}

export const port = {
  any: <T = unknown>() => base<T>('any'),
  string: () => base<string>('string'),
  number: () => base<number>('number'),
  boolean: () => base<boolean>('boolean'),
  object: <T extends object = Record<string, unknown>>() => base<T>('object'),
  array: <T = unknown>() => base<T[]>('array'),
  json: <T = Json>() => base<T>('json'),
  f64: () => base<number>('f64'),
  f32: () => base<number>('f32'),
  i32: () => base<number>('i32'),
  u32: () => base<number>('u32'),
  i16: () => base<number>('i16'),
  u16: () => base<number>('u16'),
  i8: () => base<number>('i8'),
  u8: () => base<number>('u8'),
  bool: () => base<boolean>('bool'),
  bytes: () => base<Uint8Array>('bytes'),
  shared: <T extends ArenaView = ArenaView>() => base<T>('shared'),
  struct,
};

const ANY: ValueLayout = Object.freeze({ kind: 'any' });
const BYTES: ValueLayout = Object.freeze({ kind: 'bytes' });
const SHARED: ValueLayout = Object.freeze({ kind: 'shared' });
const MACHINE_LAYOUT = new Map<string, ValueLayout>([...MACHINE].map((t) => [t, Object.freeze({ kind: 'machine', type: t as MachineType })]));

/**
 * How values of a port are laid out across threads: machine types, bool, bytes, struct and
 * shared have their own layout; every other type (number and json included) is `any`.
 */
export function layoutOf(decl: Pick<PortDecl, 'type' | 'fields'>): ValueLayout {
  const machine = MACHINE_LAYOUT.get(decl.type);
  if (machine) return machine;
  if (decl.type === 'bytes') return BYTES;
  if (decl.type === 'shared') return SHARED;
  if (decl.type === 'struct') {
    if (!decl.fields) throw new WeftError('E_COMPONENT', 'a struct port declaration has no fields (use port.struct({...}))');
    return Object.freeze({ kind: 'struct', fields: decl.fields });
  }
  return ANY;
}

export type PortDecls = Record<string, PortDecl<any, boolean>>;

/** Whether any of these ports is `port.shared()` (a network with one gets a shared arena). */
export function anyShared(...ports: PortDecls[]): boolean {
  return ports.some((p) => Object.values(p).some((d) => d.type === 'shared'));
}

/** The payload type of a declaration. */
export type PayloadOf<D> = D extends PortDecl<infer T, boolean> ? T : never;
