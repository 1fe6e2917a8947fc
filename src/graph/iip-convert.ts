/**
 * IIP conversion: turn an IIP's data into a value of its in-port's declared type.
 *
 * Text IIPs (`fromText: true`, from .fbp) are parsed by the port type:
 *   number   `Number(text)`, finite, and not empty or only whitespace
 *   boolean  exactly `true` or `false`
 *   json     `JSON.parse(text)` (any JSON value); object: a plain object; array: an array
 *   string, any, and types this module does not know: the text as it is
 * JSON IIPs (`fromText: false`) keep their value when its JavaScript type fits the port
 * (number, boolean, string; plain object for object; array for array; anything for any/json).
 * A JSON string sent to a number, boolean or json port is parsed as text, as above.
 *
 * Never throws; a value that does not fit comes back as `{ ok: false, reason }`.
 */
export type Conversion = { ok: true; value: unknown } | { ok: false; reason: string };

export function convertIip(data: unknown, fromText: boolean, type: string): Conversion {
  if (typeof data === 'string' && (fromText || type === 'number' || type === 'boolean' || type === 'json')) {
    return convertText(data, type);
  }
  const fits =
    type === 'number'
      ? typeof data === 'number'
      : type === 'boolean'
        ? typeof data === 'boolean'
        : type === 'string'
          ? typeof data === 'string'
          : type === 'object'
            ? isPlainObject(data)
            : type === 'array'
              ? Array.isArray(data)
              : true;
  if (fits) return { ok: true, value: data };
  return { ok: false, reason: `${preview(data)} is ${describe(data)}, not ${article(type)}` };
}

function convertText(text: string, type: string): Conversion {
  switch (type) {
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) return fail(`'${short(text)}' is not a number`);
      return { ok: true, value: n };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return fail(`'${short(text)}' is not true or false`);
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
