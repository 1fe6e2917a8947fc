/**
 * The fuzzer's seed corpus: every .fbp and .json graph under examples/ and test/ (fixtures of
 * the parser, of the e2e tests, subnets), the JSON form of each .fbp that parses, and a few
 * hand-written graphs that reach the corners of the grammar and of validation: array ports,
 * exports with indices, metadata, the capacity arrow, IIPs for every port type of fz/Types,
 * subnets used as components. Entries are sorted by path so a seed replays identically.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGraph, toJson } from '../../src/index.ts';

export interface Seed {
  name: string;
  text: string;
  json: boolean;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const HAND_WRITTEN: Record<string, string> = {
  'types.fbp': [
    '# @name Types',
    '# @description IIPs of every type',
    "'any' -> ANY T(fz/Types)",
    "'text' -> STR T",
    "'3.5' -> NUM T",
    "'true' -> FLAG T",
    '{"a": [1, 2]} -> OBJ T',
    '[1, "two", null] -> ARR T',
    "'{\"k\": 1}' -> JSON T",
    "'NaN' -> F64 T",
    "'1e38' -> F32 T",
    "'-2147483648' -> I32 T",
    '4294967295 -> U32 T',
    "'-32768' -> I16 T",
    '65535 -> U16 T',
    "'-128' -> I8 T",
    '255 -> U8 T',
    'false -> BOOL T',
    "'bytes' -> BYTES T",
    '{"x": 1.5, "y": -2, "on": true} -> POINT T',
    "'a' -> MANY[0] T",
    "'b' -> MANY[3] T",
    'T OUT -> IN P(core/Output)',
  ].join('\n'),
  'arrays.fbp': [
    'INPORT=Split.IN:IN',
    'OUTPORT=Join.OUT:OUT',
    'OUTPORT=T.NUMS[2]:NUMS',
    'Split(core/Split) OUT[0] -> IN[1] Join(core/Concat)',
    'Split OUT[1] -(8)-> IN[0] Join',
    'Split OUT -> IN Out(core/Output)',
    'T(fz/Types:x=10,y=-3,label=big) NUMS[0] -> I32 T2(fz/Types)',
    'T POINT -(2)-> POINT T2',
  ].join('\n'),
  'subnets.fbp': [
    "'l' -> LEFT P(fz/Pair) OUT[0] -> IN W(fz/Wrap) OUT -> IN S(core/Output)",
    "'r', 'x' -> RIGHT P",
    'P OUT[1] -> IN Drop(core/Drop)',
  ].join('\n'),
  'proto-keys.fbp': [
    '# @__proto__ yes',
    '# @constructor no',
    "'1' -> __proto__ O(fz/Odd:__proto__=1,constructor=2,x=3) TOSTRING -> IN P(core/Output:toString=t)",
    "'2' -> CONSTRUCTOR O",
  ].join('\n'),
  'anonymous.fbp': [
    'DEFAULT_INPORT=IN',
    'DEFAULT_OUTPORT=OUT',
    "'1' -> COUNT (core/Generate) -> (core/Repeat) -> (text/Upper) -> (core/Output)",
    '(fz/Shared) -> (fz/Shared)',
  ].join('\n'),
  'metadata.json': JSON.stringify({
    caseSensitive: true,
    properties: { name: 'meta', environment: { type: 'noflo-nodejs' } },
    inports: { IN: { process: 'A', port: 'in', metadata: { x: 1 } }, MANY: { process: 'T', port: 'many', index: 2 } },
    outports: { OUT: { process: 'B', port: 'out', metadata: {} } },
    groups: [{ name: 'g', nodes: ['A', 'B'] }],
    processes: {
      A: { component: 'core/Repeat', metadata: { x: 1, y: 2, label: 'A' } },
      B: { component: 'core/Output' },
      T: { component: 'fz/Types' },
    },
    connections: [
      { src: { process: 'A', port: 'out' }, tgt: { process: 'B', port: 'in' }, metadata: { capacity: 3, route: 1 } },
      { src: { process: 'T', port: 'nums', index: 1 }, tgt: { process: 'T', port: 'i32' } },
      { data: [1, 2, 255], tgt: { process: 'T', port: 'bytes' } },
      { data: { x: 0, y: 1, on: false }, tgt: { process: 'T', port: 'point' } },
      { data: '12', tgt: { process: 'T', port: 'u8' } },
      { data: 'x', tgt: { process: 'T', port: 'many', index: 0 } },
    ],
  }, null, 2),
};

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') walk(full, out);
    else if (entry.isFile() && /\.(fbp|json)$/.test(entry.name)) out.push(full);
  }
}

let cached: Seed[] | undefined;

export function loadCorpus(): Seed[] {
  if (cached) return cached;
  const files: string[] = [];
  walk(path.join(ROOT, 'examples'), files);
  walk(path.join(ROOT, 'test'), files);
  files.sort();
  const seeds: Seed[] = files.map((f) => ({ name: path.relative(ROOT, f), text: readFileSync(f, 'utf8'), json: f.endsWith('.json') }));
  for (const [name, text] of Object.entries(HAND_WRITTEN)) seeds.push({ name: `hand/${name}`, text, json: name.endsWith('.json') });
  for (const s of [...seeds]) {
    if (s.json) continue;
    const parsed = parseGraph(s.text, 'x.fbp');
    if (parsed.diagnostics.length === 0) {
      seeds.push({ name: `${s.name}→json`, text: JSON.stringify(toJson(parsed.graph), null, 2), json: true });
    }
  }
  cached = seeds;
  return seeds;
}
