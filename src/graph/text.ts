/**
 * Source text helpers shared by the graph loaders: offset → line:col, a strict JSON scanner,
 * and the "order of appearance" used for statements.
 *
 * Invariants:
 * - Lines and columns are 1-based. A line break is `\r\n`, `\n`, `\r`, U+2028 or U+2029 (the
 *   same set the .fbp grammar treats as new lines); columns count UTF-16 code units.
 * - `scanJsonValue` accepts exactly RFC 8259 JSON (no comments, no trailing commas, no single
 *   quotes) and never throws: a syntax error comes back as `{ ok: false, offset, message }`
 *   with the offset of the first offending character. The value itself is produced by the
 *   engine's `JSON.parse` on the validated slice, so it is identical to what `JSON.parse` gives.
 * - Nesting deeper than MAX_JSON_DEPTH is reported as an error instead of overflowing the stack.
 *
 * Rejected: relying on `JSON.parse` error messages for positions. Node 20 reports
 * "Unexpected token '}', ... is not valid JSON" without any position for many errors.
 */
import type { SourceSpan } from './graph.ts';

/** Deepest nesting the scanner follows; deeper input is reported, not recursed into. */
export const MAX_JSON_DEPTH = 512;

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 || c === 0x2028 || c === 0x2029) {
        this.starts.push(i + 1);
      }
    }
  }

  /** 1-based line and column of a character offset. */
  at(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo] + 1 };
  }

  span(offset: number, file?: string): SourceSpan {
    const { line, col } = this.at(offset);
    return file === undefined ? { line, col } : { file, line, col };
  }
}

export function isLineBreak(c: string): boolean {
  return c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
}

export type JsonScan =
  | {
      ok: true;
      /** Offset of the first character of the value (after leading whitespace). */
      start: number;
      /** Offset just past the value (trailing whitespace is not consumed). */
      end: number;
      value: unknown;
      /** Start offset of each value, by path (`connections[3].tgt.port`), when requested. */
      paths: Map<string, number>;
      /** Object keys that appear twice in the same object (JSON.parse keeps the last). */
      duplicates: { key: string; path: string; offset: number }[];
    }
  | { ok: false; offset: number; message: string };

export interface JsonScanOptions {
  /** Record value offsets by path down to this depth (0: none). */
  pathDepth?: number;
}

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** `a.b[2]["odd key"]`: the path notation used in diagnostics. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Scan one JSON value starting at `from` (leading JSON whitespace is skipped). */
export function scanJsonValue(text: string, from: number, options: JsonScanOptions = {}): JsonScan {
  const pathDepth = options.pathDepth ?? 0;
  const paths = new Map<string, number>();
  const duplicates: { key: string; path: string; offset: number }[] = [];
  let pos = from;

  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(at, message);
  };
  const describe = (): string => (pos >= text.length ? 'end of input' : `'${text[pos]}'`);
  const skipWs = (): void => {
    while (pos < text.length) {
      const c = text[pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') pos++;
      else break;
    }
  };

  const scanString = (): void => {
    const open = pos;
    pos++; // the opening quote
    for (;;) {
      if (pos >= text.length) fail('unterminated JSON string', open);
      const c = text.charCodeAt(pos);
      if (c === 34 /* " */) {
        pos++;
        return;
      }
      if (c < 0x20) fail('control character in JSON string: escape it (\\n, \\t, \\u00XX)');
      if (c === 92 /* \ */) {
        const e = text[pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('invalid \\u escape in JSON string');
          pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          pos += 2;
        } else {
          fail('invalid escape in JSON string');
        }
        continue;
      }
      pos++;
    }
  };

  const scanNumber = (): void => {
    const start = pos;
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(pos, pos + 400));
    if (!m || m[0] === '-' || m[0] === '') fail('invalid JSON number', start);
    pos += m![0].length;
    if (pos - start >= 400) fail('JSON number too long', start);
  };

  const scanValue = (path: string, depth: number): void => {
    skipWs();
    if (depth > MAX_JSON_DEPTH) fail(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (depth <= pathDepth) paths.set(path, pos);
    const c = text[pos];
    if (c === '{') {
      pos++;
      skipWs();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      const seen = new Set<string>();
      for (;;) {
        skipWs();
        if (text[pos] !== '"') fail(`expected a string key in JSON object, found ${describe()}`);
        const keyStart = pos;
        scanString();
        const key = JSON.parse(text.slice(keyStart, pos)) as string;
        const childPath = joinPath(path, key);
        if (seen.has(key)) duplicates.push({ key, path: childPath, offset: keyStart });
        seen.add(key);
        skipWs();
        if (text[pos] !== ':') fail(`expected ':' after key in JSON object, found ${describe()}`);
        pos++;
        scanValue(childPath, depth + 1);
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return;
        }
        fail(`expected ',' or '}' in JSON object, found ${describe()}`);
      }
    }
    if (c === '[') {
      pos++;
      skipWs();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (let i = 0; ; i++) {
        scanValue(joinPath(path, i), depth + 1);
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return;
        }
        fail(`expected ',' or ']' in JSON array, found ${describe()}`);
      }
    }
    if (c === '"') return scanString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return scanNumber();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return;
      }
    }
    fail(`expected a JSON value, found ${describe()}`);
  };

  try {
    skipWs();
    const start = pos;
    scanValue('', 0);
    const value: unknown = JSON.parse(text.slice(start, pos));
    return { ok: true, start, end: pos, value, paths, duplicates };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, offset: err.offset, message: err.message };
    // JSON.parse on a slice the scanner accepted cannot fail; report rather than throw.
    return { ok: false, offset: from, message: `invalid JSON: ${String(err)}` };
  }
}

/**
 * Order of appearance: elements with a span sort by (line, col); elements without one keep
 * their relative order and come after. Used to interleave edges and IIPs when printing and to
 * assign array-port indices.
 */
export function compareSpans(a: SourceSpan | undefined, b: SourceSpan | undefined): number {
  if (a && b) return a.line - b.line || a.col - b.col;
  if (a) return -1;
  if (b) return 1;
  return 0;
}
