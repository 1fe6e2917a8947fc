/**
 * IIP conversion: turn an IIP's data into a value of its in-port's declared type.
 *
 * Text IIPs (`fromText: true`, from .fbp) are parsed by the port type:
 *   number   `Number(text)`, finite, and not empty or only whitespace
 *   boolean  exactly `true` or `false` (also bool)
 *   json     `JSON.parse(text)` (any JSON value); object: a plain object; array: an array
 *   i32 u32 i16 u16 i8 u8   as number, then an integer in the type's range (-0 becomes 0)
 *   f64 f32  as number, and also `NaN`, `Infinity`, `-Infinity`; f32 rounds to float32
 *            (Math.fround) and refuses a finite number beyond its range
 *   bytes    the UTF-8 bytes of the text, as a Uint8Array
 *   struct   a JSON object with exactly the declared fields, each converted as its machine
 *            type; the result has the fields in declared order
 *   shared   nothing: a shared port (arena views) takes no IIP
 *   string, any, and types this module does not know: the text as it is
 * JSON IIPs (`fromText: false`) keep their value when its JavaScript type fits the port
 * (number, boolean, string; plain object for object; array for array; anything for any/json;
 * a Uint8Array or an array of integers 0..255 for bytes), with the range checks above for
 * machine types and structs. A JSON string sent to any other port than string, object, array
 * or any is parsed as text, as above.
 *
 * Never throws; a value that does not fit comes back as `{ ok: false, reason }`.
 */
import { isNumericMachine, NUMERIC, type StructFieldShapes } from './port-types.ts';

export type Conversion = { ok: true; value: unknown } | { ok: false; reason: string };

/** Types whose JSON IIPs given as strings are parsed as text. */
const PARSED = new Set(['number', 'boolean', 'json', 'bool', 'bytes', 'struct', ...Object.keys(NUMERIC)]);

export function convertIip(data: unknown, fromText: boolean, type: string, fields?: StructFieldShapes): Conversion {
  if (type === 'shared') return fail('a shared port carries views over the shared arena made by ctx.alloc, so it takes no IIP');
  if (typeof data === 'string' && (fromText || PARSED.has(type))) {
    return convertText(data, type, fields);
  }
  if (isNumericMachine(type)) return typeof data === 'number' ? fitNumber(data, type) : mismatch(data, type);
  if (type === 'struct') return isPlainObject(data) ? fitStruct(data, fields) : mismatch(data, type);
  if (type === 'bytes') return toBytes(data);
  const fits =
    type === 'number'
      ? typeof data === 'number'
      : type === 'boolean' || type === 'bool'
        ? typeof data === 'boolean'
        : type === 'string'
          ? typeof data === 'string'
          : type === 'object'
            ? isPlainObject(data)
            : type === 'array'
              ? Array.isArray(data)
              : true;
  return fits ? { ok: true, value: data } : mismatch(data, type);
}

function mismatch(data: unknown, type: string): Conversion {
  return fail(`${preview(data)} is ${describe(data)}, not ${article(type)}`);
}

const FLOAT_WORDS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '+Infinity': Infinity, '-Infinity': -Infinity };

function convertText(text: string, type: string, fields?: StructFieldShapes): Conversion {
  if (isNumericMachine(type)) {
    const word = (type === 'f64' || type === 'f32') && Object.hasOwn(FLOAT_WORDS, text.trim()) ? FLOAT_WORDS[text.trim()] : undefined;
    const n = word ?? Number(text);
    if (word === undefined && (text.trim() === '' || !Number.isFinite(n))) return fail(`'${short(text)}' is not a number`);
    return fitNumber(n, type);
  }
  switch (type) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) return fail(`'${short(text)}' is not a number`);
      return { ok: true, value: n };
    }
    case 'boolean':
    case 'bool':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return fail(`'${short(text)}' is not true or false`);
    case 'bytes':
      return { ok: true, value: new TextEncoder().encode(text) };
    case 'struct': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return fail(`'${short(text)}' is not valid JSON`);
      }
      return isPlainObject(value) ? fitStruct(value, fields) : fail(`'${short(text)}' is JSON but not an object`);
    }
    case 'json':
    case 'object':
    case 'array': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return fail(`'${short(text)}' is not valid JSON`);
      }
      if (type === 'object' && !isPlainObject(value)) return fail(`'${short(text)}' is JSON but not an object`);
      if (type === 'array' && !Array.isArray(value)) return fail(`'${short(text)}' is JSON but not an array`);
      return { ok: true, value };
    }
    default:
      return { ok: true, value: text };
  }
}

function fail(reason: string): Conversion {
  return { ok: false, reason };
}

/** A number checked against a machine type's range (f32 rounded, -0 as 0 for integers). */
function fitNumber(n: number, type: string): Conversion {
  const { min, max, integer } = NUMERIC[type];
  if (integer) {
    if (!Number.isInteger(n) || n < min || n > max) return fail(`${n} does not fit ${type} (an integer from ${min} to ${max})`);
    return { ok: true, value: n + 0 };
  }
  if (type === 'f32') {
    const r = Math.fround(n);
    if (Number.isFinite(n) && !Number.isFinite(r)) return fail(`${n} is beyond the range of f32 (±3.4028234663852886e38)`);
    return { ok: true, value: r };
  }
  return { ok: true, value: n };
}

/** An object with exactly the declared fields, each converted; fields in declared order. */
function fitStruct(obj: Record<string, unknown>, fields: StructFieldShapes | undefined): Conversion {
  if (!fields) return { ok: true, value: obj };
  const out: Record<string, unknown> = {};
  for (const [name, type] of fields) {
    if (!Object.hasOwn(obj, name)) return fail(`the struct has no field ${name} (${type})`);
    const v = obj[name];
    const field = type === 'bool' ? (typeof v === 'boolean' ? { ok: true as const, value: v } : mismatch(v, 'boolean')) : typeof v === 'number' ? fitNumber(v, type) : mismatch(v, 'number');
    if (!field.ok) return fail(`field ${name}: ${field.reason}`);
    out[name] = field.value;
  }
  const extra = Object.keys(obj).filter((k) => !fields.some(([n]) => n === k));
  if (extra.length > 0) return fail(`the struct does not declare field${extra.length === 1 ? '' : 's'} ${extra.join(', ')}`);
  return { ok: true, value: out };
}

function toBytes(data: unknown): Conversion {
  if (data instanceof Uint8Array) return { ok: true, value: data };
  if (Array.isArray(data) && data.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return { ok: true, value: Uint8Array.from(data) };
  return fail(`${preview(data)} is ${describe(data)}, not bytes (a string, a Uint8Array or an array of integers 0 to 255)`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : article(typeof v);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** The data as it would be written in JSON, shortened for messages. */
export function preview(data: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(data) ?? String(data);
  } catch {
    text = String(data);
  }
  return short(text);
}
