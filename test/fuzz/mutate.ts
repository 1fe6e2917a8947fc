/**
 * Input generation for the loader fuzzer. Case `i` of seed `s` is a pure function of (s, i)
 * and the corpus, so any single case can be replayed without running the ones before it.
 *
 * Strategies (picked per case): text mutations of a corpus graph (1 to 8 stacked edits:
 * character flips, deletions, duplicated slices, insertions of grammar tokens, odd unicode,
 * very long names), structural JSON mutations (a value somewhere in the tree replaced by one
 * of the wrong type, null, an array, a deep nest; a key duplicated), line splices of two
 * graphs, and random bytes decoded as UTF-8 (as readFile would).
 */
import { rng } from '../helpers/rng.ts';
import type { Seed } from './corpus.ts';

export interface FuzzCase {
  text: string;
  /** File name handed to the loader: its extension picks the format (undefined: sniffed). */
  file: string | undefined;
  /** How the case was made, for the report. */
  recipe: string;
}

const TOKENS = [
  '->', '-(', ')->', '-(0)->', '-(99999999999)->', '(', ')', '[', ']', '[-1]', '[1e3]', '[99999999]',
  "'", "\\'", '#', '# @name ', '# @runtime ', 'INPORT=', 'OUTPORT=', 'DEFAULT_INPORT=', 'DEFAULT_OUTPORT=',
  ':', ',', '.', '=', '{', '}', '"', '\n', '\r', '\r\n', '\t', ' ', '\u2028', '\u2029', '\0', '\\',
  'IN', 'OUT', 'A', '(core/Output)', '(fz/Types)', '(fz/Pair)', '(fz/Wrap)', 'core/', '/', ':x=1', ':x=a',
  'null', 'true', '-0', '1e999', 'NaN', '{"a":', '[[[[', ']]]]', '__proto__', 'constructor', 'toString',
  'é', '𝔘', '\ud800', '\udfff', '\ufeff', '\u200b', '\u0301', '🙂',
];

const JSON_VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 1e308, -0, '', 'x', 'IN', '__proto__', [], [null], {}, { a: 1 },
  [1, 2], { process: 'A' }, { process: 1, port: [] }, { index: -1 }, 'core/Output', 'fz/Types',
];

export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, n: number): number => Math.floor(r() * n);

/** A per-case generator, mixed from the run seed and the case index. */
export function caseRng(seed: number, index: number): Rand {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return rng(h ^ (h >>> 13));
}

export function makeCase(seed: number, index: number, corpus: readonly Seed[]): FuzzCase {
  const r = caseRng(seed, index);
  const base = pick(r, corpus);
  const roll = r();
  if (roll < 0.08) return randomBytes(r);
  if (roll < 0.18) {
    const other = pick(r, corpus);
    return { text: splice(r, base.text, other.text), file: fileFor(r, base.json), recipe: `splice ${base.name} + ${other.name}` };
  }
  if (roll < 0.4 && base.json) {
    const text = mutateJson(r, base.text);
    if (text !== undefined) return { text, file: fileFor(r, true), recipe: `json-tree ${base.name}` };
  }
  let text = base.text;
  const edits = 1 + int(r, 8);
  for (let k = 0; k < edits; k++) text = mutateText(r, text);
  return { text, file: fileFor(r, base.json), recipe: `text x${edits} ${base.name}` };
}

function fileFor(r: Rand, json: boolean): string | undefined {
  const x = r();
  if (x < 0.05) return undefined; // format sniffed from the text
  if (x < 0.08) return json ? 'case.fbp' : 'case.json'; // the wrong loader
  return json ? 'case.json' : 'case.fbp';
}

function randomBytes(r: Rand): FuzzCase {
  const bytes = new Uint8Array(int(r, 300));
  const ascii = r() < 0.6;
  for (let i = 0; i < bytes.length; i++) bytes[i] = ascii ? 9 + int(r, 118) : int(r, 256);
  const json = r() < 0.5;
  return { text: new TextDecoder().decode(bytes), file: json ? 'case.json' : 'case.fbp', recipe: 'random bytes' };
}

function splice(r: Rand, a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  const cutA = int(r, la.length + 1);
  const from = int(r, lb.length + 1);
  const to = from + int(r, lb.length - from + 1);
  return [...la.slice(0, cutA), ...lb.slice(from, to), ...la.slice(cutA + int(r, 3))].join('\n');
}

export function mutateText(r: Rand, text: string): string {
  const at = int(r, text.length + 1);
  switch (int(r, 9)) {
    case 0: // flip one character to a random code unit
      return text.slice(0, at) + String.fromCharCode(int(r, 0x3000)) + text.slice(at + 1);
    case 1: // delete a slice
      return text.slice(0, at) + text.slice(at + 1 + int(r, 12));
    case 2:
    case 3: // insert a grammar token
      return text.slice(0, at) + pick(r, TOKENS) + text.slice(at);
    case 4: // duplicate a slice
      return text.slice(0, at) + text.slice(at, at + int(r, 40)) + text.slice(at);
    case 5: { // a very long name, or a long run of one token
      const unit = pick(r, ['A', 'x.', '[', '{', '(', '->', "'", '-', 'é']);
      return text.slice(0, at) + unit.repeat(1 + int(r, r() < 0.1 ? 20000 : 300)) + text.slice(at);
    }
    case 6: { // swap two lines
      const lines = text.split('\n');
      const i = int(r, lines.length);
      const j = int(r, lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 7: // replace a word-ish run with a token
      return text.slice(0, at) + pick(r, TOKENS) + text.slice(at).replace(/^[A-Za-z0-9_]+/, '');
    default: // bump a digit run
      return text.slice(0, at) + text.slice(at).replace(/\d+/, pick(r, ['-1', '0', '1e3', '99999999999999999999', '2.5', '']));
  }
}

/** Mutate the parsed JSON tree, then print it (sometimes with a duplicated key); undefined if it does not parse. */
function mutateJson(r: Rand, text: string): string | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  const edits = 1 + int(r, 4);
  for (let k = 0; k < edits; k++) root = mutateValue(r, root, 0);
  let out = JSON.stringify(root, null, r() < 0.5 ? 2 : undefined) ?? 'null';
  if (r() < 0.15) {
    // Duplicate one key: `"k": v` → `"k": v, "k": v`.
    out = out.replace(/("[^"\\]*")\s*:\s*("[^"\\]*"|-?\d[\d.eE+-]*|true|false|null)/, '$1: $2, $1: $2');
  }
  if (r() < 0.1) out = out.replace('{', `{"${pick(r, ['__proto__', 'constructor', 'toString'])}": ${JSON.stringify(wrongValue(r))}, `);
  if (r() < 0.05) out = `${'['.repeat(400 + int(r, 400))}${out}${']'.repeat(400 + int(r, 400))}`;
  return out;
}

function wrongValue(r: Rand): unknown {
  const x = r();
  if (x < 0.7) return structuredClone(pick(r, JSON_VALUES));
  if (x < 0.85) {
    let v: unknown = 1;
    for (let d = int(r, 60); d > 0; d--) v = r() < 0.5 ? [v] : { a: v };
    return v;
  }
  return 'é'.repeat(int(r, 5000));
}

function mutateValue(r: Rand, v: unknown, depth: number): unknown {
  const here = r() < 0.25 || depth > 6 || v === null || typeof v !== 'object';
  if (here) return wrongValue(r);
  if (Array.isArray(v)) {
    if (v.length === 0 || r() < 0.1) return [...v, wrongValue(r)];
    const i = int(r, v.length);
    const copy = [...v];
    if (r() < 0.1) copy.splice(i, 1);
    else copy[i] = mutateValue(r, v[i], depth + 1);
    return copy;
  }
  const obj = { ...(v as Record<string, unknown>) };
  const keys = Object.keys(obj);
  const y = r();
  if (keys.length === 0 || y < 0.1) obj[pick(r, ['process', 'port', 'index', 'metadata', 'data', 'src', 'tgt', 'component', 'exports', 'capacity', '__proto__', 'x'])] = wrongValue(r);
  else if (y < 0.2) delete obj[pick(r, keys)];
  else {
    const k = pick(r, keys);
    obj[k] = mutateValue(r, obj[k], depth + 1);
  }
  return obj;
}
