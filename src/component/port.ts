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
 * Declared types are checked across every edge at load time (graph/validate.ts) and are used
 * to convert `.fbp` IIP text. `any` and `json` are compatible with everything.
 */

export type PortTypeName = 'any' | 'string' | 'number' | 'boolean' | 'object' | 'array' | 'json';

/** A port declaration. `T` is the payload type; `A` says whether it is an array port. */
export interface PortDecl<T = unknown, A extends boolean = boolean> {
  readonly type: PortTypeName;
  readonly isArray: A;
  readonly required: boolean;
  readonly description?: string;
  readonly hasDefault: boolean;
  readonly defaultValue?: T;
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

export const port = {
  any: <T = unknown>() => base<T>('any'),
  string: () => base<string>('string'),
  number: () => base<number>('number'),
  boolean: () => base<boolean>('boolean'),
  object: <T extends object = Record<string, unknown>>() => base<T>('object'),
  array: <T = unknown>() => base<T[]>('array'),
  json: <T = Json>() => base<T>('json'),
};

export type PortDecls = Record<string, PortDecl<any, boolean>>;

/** The payload type of a declaration. */
export type PayloadOf<D> = D extends PortDecl<infer T, boolean> ? T : never;
