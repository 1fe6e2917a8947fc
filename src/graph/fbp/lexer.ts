/**
 * Lexer for the .fbp language: text → tokens with positions. See parser.ts for the grammar.
 *
 * Tokens: `word` (node or port name, `A.B` kept whole for INPORT=A.B:C), `index` (`[2]`,
 * only directly after a word), `component` (`(collection/Name:key=value,...)`, decoded),
 * `arrow` (`->`, or `-(N)->` with a capacity), `string` ('single quoted', `\'` is a quote and
 * any other backslash is literal, as in fbp), `json` (a JSON IIP: number, "string", object,
 * array; objects and arrays may span lines), `equals`, `dot`, `colon`, `comma`, `newline`,
 * `annotation` (a whole `# @key value` line), `bad` (a lexical error, already reported) and
 * `eof`.
 *
 * Invariants:
 * - Whitespace is spaces and tabs; comments (`#` to end of line) are dropped. An annotation is
 *   a comment that starts in column 1 and reads `# @key value`.
 * - Every token records whether whitespace (or a line start) precedes it (`spaceBefore`): the
 *   parser uses adjacency to tell `Node(Comp)` from `PORT (Comp)` and `OUT[1]` from a JSON
 *   array IIP.
 * - A `-` inside a name belongs to the name unless it starts `->`; so a capacity arrow after a
 *   name needs a space before it (`OUT -(4)-> IN`).
 * - After a lexical error the rest of that line is skipped and one `bad` token stands for it,
 *   so one mistake gives one diagnostic. The lexer never throws.
 */
import type { Diagnostic } from '../diagnostic.ts';
import { LineIndex, isLineBreak, scanJsonValue } from '../text.ts';

export type TokenKind =
  | 'word'
  | 'index'
  | 'component'
  | 'arrow'
  | 'string'
  | 'json'
  | 'equals'
  | 'dot'
  | 'colon'
  | 'comma'
  | 'newline'
  | 'annotation'
  | 'bad'
  | 'eof';

export interface MetaEntry {
  key: string;
  value: string;
  line: number;
  col: number;
}

export interface ComponentText {
  /** The component name; '' for `Node()` (a mention without declaration). */
  name: string;
  meta: MetaEntry[];
}

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  line: number;
  col: number;
  spaceBefore: boolean;
  /** `index`: the element number. */
  index?: number;
  /** `component`: the decoded contents. */
  component?: ComponentText;
  /** `arrow`: the capacity of `-(N)->` when N is valid. */
  capacity?: number;
  /** `string`: the unescaped text; `json`: the parsed value; `annotation`: the value. */
  value?: unknown;
  /** `annotation`: the key. */
  key?: string;
}

/** Names as the fbp grammar allows them. */
export const NODE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
export const PORT_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
export const COMPONENT_NAME = /^[A-Za-z0-9/_-]*$/;
export const META_TEXT = /^[A-Za-z0-9/_]+$/;
const PUNCTUATION: Partial<Record<string, TokenKind>> = {
  '=': 'equals',
  '.': 'dot',
  ':': 'colon',
  ',': 'comma',
};

export const ANNOTATION_KEY = /^[A-Za-z0-9_-]+$/;

/** `# @key value` → [key, value], value without trailing blanks; null for any other comment. */
function annotation(line: string): [string, string] | null {
  // Written out by hand: a regular expression for this backtracks quadratically on long blank lines.
  let p = 1;
  while (line[p] === ' ' || line[p] === '\t') p++;
  if (p === 1 || line[p] !== '@') return null;
  const keyStart = ++p;
  while (p < line.length && /[A-Za-z0-9_-]/.test(line[p])) p++;
  const key = line.slice(keyStart, p);
  if (key === '' || (line[p] !== ' ' && line[p] !== '\t')) return null;
  const value = line.slice(p).trim();
  return value === '' ? null : [key, value];
}

export function lexFbp(text: string, file?: string): { tokens: Token[]; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(text);
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not content
  let lineStart = pos;
  let space = true;

  const push = (kind: TokenKind, start: number, end: number, extra: Partial<Token> = {}): void => {
    const { line, col } = lines.at(start);
    tokens.push({ kind, text: text.slice(start, end), line, col, spaceBefore: space, ...extra });
    space = false;
  };
  /** Offset of `ch` at or after `from` on the same line, or -1. */
  const findOnLine = (from: number, ch: string): number => {
    for (let p = from; p < text.length && !isLineBreak(text[p]); p++) if (text[p] === ch) return p;
    return -1;
  };
  const endOfLine = (from: number): number => {
    let p = from;
    while (p < text.length && !isLineBreak(text[p])) p++;
    return p;
  };
  /** Report an error at `at`, skip the rest of the line and leave one `bad` token. */
  const error = (start: number, at: number, message: string, code: Diagnostic['code'] = 'E_PARSE'): void => {
    diagnostics.push({ code, message, span: lines.span(at, file) });
    const end = endOfLine(Math.max(at, start));
    push('bad', start, end);
    pos = end;
  };

  while (pos < text.length) {
    const c = text[pos];
    const start = pos;
    if (c === ' ' || c === '\t') {
      pos++;
      space = true;
      continue;
    }
    if (isLineBreak(c)) {
      pos += c === '\r' && text[pos + 1] === '\n' ? 2 : 1;
      space = true;
      push('newline', start, pos);
      space = true;
      lineStart = pos;
      continue;
    }
    if (c === '#') {
      const end = endOfLine(pos);
      const a = start === lineStart ? annotation(text.slice(start, end)) : null;
      if (a) push('annotation', start, end, { key: a[0], value: a[1] });
      pos = end;
      space = true;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      pos++;
      while (pos < text.length) {
        const d = text[pos];
        if (/[A-Za-z0-9_.]/.test(d) || (d === '-' && text[pos + 1] !== '>')) pos++;
        else break;
      }
      push('word', start, pos);
      if (text[pos] === '[') lexIndex();
      continue;
    }
    if (c === '(') {
      lexComponent();
      continue;
    }
    if (c === '-' && text[pos + 1] === '>') {
      pos += 2;
      push('arrow', start, pos);
      continue;
    }
    if (c === '-' && text[pos + 1] === '(') {
      lexCapacityArrow();
      continue;
    }
    if (c === "'") {
      lexString();
      continue;
    }
    if (c === '-' && !/[0-9]/.test(text[pos + 1] ?? '')) {
      error(start, start, "unexpected '-': an arrow is written '->'");
      continue;
    }
    if (c === '"' || c === '{' || c === '[' || c === '-' || (c >= '0' && c <= '9')) {
      const scan = scanJsonValue(text, pos);
      if (!scan.ok) {
        error(start, scan.offset, `invalid JSON IIP: ${scan.message}`);
        continue;
      }
      pos = scan.end;
      push('json', start, pos, { value: scan.value });
      continue;
    }
    if (c === '=' && text[pos + 1] === '>') {
      error(start, start, "'=>' is not an arrow: write '->'");
      continue;
    }
    const kind = PUNCTUATION[c];
    if (kind) {
      pos++;
      push(kind, start, pos);
      if (kind === 'comma') space = true;
      continue;
    }
    error(start, start, `unexpected character ${JSON.stringify(c)}`);
  }
  space = true;
  push('eof', pos, pos);
  return { tokens, diagnostics };

  function lexIndex(): void {
    const start = pos;
    const m = /^\[([0-9]+)\]/.exec(text.slice(pos, pos + 32));
    if (m && m[1].length <= 9) {
      pos += m[0].length;
      push('index', start, pos, { index: Number(m[1]) });
      return;
    }
    error(start, start + 1, 'an array index is a non-negative integer written right after the port: OUT[2]');
  }

  function lexComponent(): void {
    const start = pos;
    let end = start + 1;
    while (end < text.length && /[A-Za-z0-9/_:=,-]/.test(text[end])) end++;
    if (end >= text.length || isLineBreak(text[end])) {
      error(start, start, "unclosed '(': expected ')' before the end of the line");
      return;
    }
    const body = text.slice(start + 1, end);
    const colon = body.indexOf(':');
    const name = colon < 0 ? body : body.slice(0, colon);
    if (text[end] !== ')' || /[=,]/.test(name)) {
      const at = text[end] !== ')' ? end : start + 1 + /[=,]/.exec(name)!.index;
      const where = colon >= 0 && at > start + colon ? 'node metadata' : 'component name';
      error(start, at, `invalid character ${JSON.stringify(text[at])} in ${where} (expected ')')`);
      return;
    }
    const meta: MetaEntry[] = [];
    if (colon >= 0) {
      let entryStart = start + 1 + colon + 1;
      for (const entry of body.slice(colon + 1).split(',')) {
        const at = lines.at(entryStart);
        const bad = /[^A-Za-z0-9/_=]/.exec(entry);
        if (bad) {
          error(start, entryStart + bad.index, `invalid character ${JSON.stringify(bad[0])} in node metadata`);
          return;
        }
        const parts = entry.split('=');
        if (entry === '') {
          error(start, entryStart, "empty node metadata entry: write (Component:key=value,key2=value)");
          return;
        }
        if (parts.length > 2 || parts.some((p) => p === '')) {
          error(start, entryStart, `node metadata entry '${entry}' is not key=value`);
          return;
        }
        // A bare word is a route, as in fbp: (Comp:foo) is (Comp:routes=foo).
        const [key, value] = parts.length === 1 ? ['routes', parts[0]] : [parts[0], parts[1]];
        meta.push({ key, value, ...at });
        entryStart += entry.length + 1;
      }
    }
    pos = end + 1;
    push('component', start, pos, { component: { name, meta } });
  }

  function lexCapacityArrow(): void {
    const start = pos;
    const close = findOnLine(pos + 2, ')');
    if (close < 0 || !text.startsWith('->', close + 1)) {
      error(start, start, "a capacity arrow is written -(N)-> with a positive integer N");
      return;
    }
    const raw = text.slice(start + 2, close);
    const trimmed = raw.trim();
    pos = close + 3;
    let capacity: number | undefined;
    if (/^[0-9]+$/.test(trimmed) && Number(trimmed) > 0 && Number.isSafeInteger(Number(trimmed))) {
      capacity = Number(trimmed);
    } else {
      const at = start + 2 + (raw.length - raw.trimStart().length);
      diagnostics.push({
        code: 'E_CAPACITY',
        message: `capacity must be a positive integer, got '${trimmed}'`,
        span: lines.span(at, file),
      });
    }
    push('arrow', start, pos, capacity === undefined ? {} : { capacity });
  }

  function lexString(): void {
    const start = pos;
    let out = '';
    let p = pos + 1;
    for (;;) {
      if (p >= text.length || isLineBreak(text[p])) {
        error(start, start, "unterminated string: the closing ' is missing on this line");
        return;
      }
      const d = text[p];
      if (d === "'") break;
      if (d === '\\' && text[p + 1] === "'") {
        out += "'";
        p += 2;
        continue;
      }
      out += d;
      p++;
    }
    pos = p + 1;
    push('string', start, pos, { value: out });
  }
}
