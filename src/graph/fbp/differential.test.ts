/**
 * Differential test: our .fbp parser against the reference `fbp` package (1.8, caseSensitive).
 *
 * For every fixture in test/fixtures/fbp/ and for seeded random graphs (printed without our
 * extensions), both parsers must produce the same processes, connections, inports, outports
 * and properties. Ours is converted with toJson(); the only normalisations are listed in
 * `normalise`. Then come the inputs fbp rejects (we must too), and the inputs where fbp
 * silently drops or misreads something (we must report it, or read it as written).
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toJson } from '../json.ts';
import { arbitraryGraph } from './graph-arbitrary.testutil.ts';
import { parseFbp } from './parser.ts';
import { printFbp } from './print.ts';

const fbp = createRequire(import.meta.url)('fbp') as { parse(text: string, options: { caseSensitive: boolean }): NoFloJson };
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/fbp');

interface NoFloJson {
  properties?: Record<string, unknown>;
  processes: Record<string, Record<string, unknown>>;
  connections: Record<string, unknown>[];
  inports: Record<string, Record<string, unknown>>;
  outports: Record<string, Record<string, unknown>>;
}

/**
 * The trivial differences, and only those:
 * 1. `metadata`: fbp omits it when there is none; toJson omits it when empty. Both sides drop
 *    an empty `metadata` object, so "absent" and "{}" compare equal.
 * 2. `properties`: fbp leaves the key out when there are no annotations; toJson always writes
 *    an object. Absent becomes {}.
 * 3. Keys that only one side writes and that say nothing about the graph (fbp: `groups`,
 *    `caseSensitive`; toJson: `groups`, `caseSensitive`) are not compared.
 */
function normalise(json: NoFloJson) {
  const dropEmptyMeta = (o: Record<string, unknown>) => {
    const { metadata, ...rest } = o;
    return metadata && Object.keys(metadata).length > 0 ? { ...rest, metadata } : rest;
  };
  const each = (obj: Record<string, Record<string, unknown>>) =>
    Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, dropEmptyMeta(v)]));
  return {
    properties: json.properties ?? {},
    processes: each(json.processes),
    connections: json.connections.map(dropEmptyMeta),
    inports: each(json.inports),
    outports: each(json.outports),
  };
}

function ours(text: string) {
  const { graph, diagnostics } = parseFbp(text);
  expect(diagnostics, text).toEqual([]);
  return normalise(toJson(graph) as unknown as NoFloJson);
}

function theirs(text: string) {
  return normalise(fbp.parse(text, { caseSensitive: true }));
}

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.fbp')).sort();

describe('differential: our parser vs the fbp package', () => {
  it('has a corpus of at least 30 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
  });

  it.each(fixtures)('fixture %s: same graph', (file) => {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    expect(ours(text)).toEqual(theirs(text));
  });

  it('never throws on damaged fixtures (cut, duplicated or swapped characters)', () => {
    const texts = fixtures.map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
    const damaged = fc
      .tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', "'", '"', '(', ')', '->', ',', '\n', '[', '{', '#', ' ')), { maxLength: 4 }))
      .map(([text, edits]) =>
        edits.reduce((t, [at, cut, insert]) => {
          const i = at % (t.length + 1);
          return t.slice(0, i) + insert + t.slice(i + cut);
        }, text),
      );
    fc.assert(
      fc.property(damaged, (text) => {
        const { graph, diagnostics } = parseFbp(text);
        expect(graph.nodes.every((n) => n.span !== undefined)).toBe(true);
        for (const d of diagnostics) expect(d.span!.line).toBeGreaterThan(0);
      }),
      { seed: 17, numRuns: 2000 },
    );
  });

  it('300 seeded random graphs: same graph', () => {
    fc.assert(
      fc.property(arbitraryGraph({ extensions: false }), (graph) => {
        const text = printFbp(graph);
        expect(ours(text), text).toEqual(theirs(text));
      }),
      { seed: 4242, numRuns: 300 },
    );
  });
});

/** Text that fbp refuses with a SyntaxError; each must be an E_PARSE for us. */
const syntaxErrors: [string, string][] = [
  ['double-dash arrow', "'foo' --> Display(Output)"],
  ['dangling arrow', 'A(X) OUT ->'],
  ['arrow without source', '-> IN A(X)'],
  ['unterminated quote', "'abc -> IN A(X)"],
  ['escaped closing quote', "'abc\\' -> IN A(X)"],
  ['legacy EXPORT', 'EXPORT=A.IN:X\nA(X)'],
  ['spaces in a component', 'A( X )'],
  ['space before an index', 'A(X) OUT [1] -> IN B(Y)'],
  ['two commas', 'A(X) OUT -> IN B(Y),,'],
  ['two IIPs', "'x' 'y' -> IN A(X)"],
  ['IIP as a target', "A(X) OUT -> 'x'"],
  ['fat arrow', 'A(X) OUT => IN B(Y)'],
  ['export without a name', 'INPORT=A.IN\nA(X)'],
  ['dot in metadata', 'A(X:x=1.5)'],
  ['bad JSON', '{"a": } -> IN A(X)'],
  ['unclosed component', 'A(X OUT -> IN B(Y)'],
  ['unexpected character', 'A(X) OUT -> IN B(Y) !'],
  ['leading comma', ', A(X)'],
];

/** Text fbp parses but then refuses (undeclared nodes); we report the same problem. */
const contentErrors: [string, string, string][] = [
  ['source never declared', 'instanceMissingComponentName OUT -> (core/Output)', 'E_UNKNOWN_NODE'],
  ['IIP target never declared', "'localhost' -> IN instanceMissingComponentName", 'E_UNKNOWN_NODE'],
  ['chain end never declared', 'a(A)->b(B) ->c(C)-> d(D)->e', 'E_UNKNOWN_NODE'],
  ['only mentioned with ()', 'A() OUT -> IN B(Y)', 'E_UNKNOWN_NODE'],
  ['inport to a missing node', 'INPORT=noexist.IN:broken\nexist(foo/Bar)', 'E_EXPORT'],
  ['outport to a missing node', 'OUTPORT=noexist.OUT:broken\nexist(foo/Bar)', 'E_EXPORT'],
];

describe('differential: inputs fbp rejects', () => {
  it.each(syntaxErrors)('%s', (_, text) => {
    expect(() => fbp.parse(text, { caseSensitive: true })).toThrow();
    expect(parseFbp(text).diagnostics.map((d) => d.code)).toContain('E_PARSE');
  });
  it.each(contentErrors)('%s', (_, text, code) => {
    expect(() => fbp.parse(text, { caseSensitive: true })).toThrow();
    expect(parseFbp(text).diagnostics.map((d) => d.code)).toContain(code);
  });
});

/**
 * Garbage fbp accepts without a word, losing or changing part of the graph. The comment says
 * what fbp makes of it; we must report an error at the given line:col.
 */
const silentlyAccepted: [string, string, string, string][] = [
  // fbp: no edge at all; `A OUT` and `IN B` are read as two statements that connect nothing.
  ['missing arrow', 'A(X) OUT IN B(Y)', 'E_PARSE', '1:10'],
  ['missing arrow between declared nodes', 'A(X)\nB(Y)\nA OUT IN B', 'E_PARSE', '3:7'],
  // fbp: the edge A -> B is kept and `C(Z)` starts a second, unconnected statement.
  ['two chains without a comma', 'A(X) OUT -> IN B(Y) C(Z)', 'E_PARSE', '1:21'],
  // fbp: the trailing out-port and the leading in-port are dropped.
  ['port after the last node', 'A(X) -> B(Y) IN', 'E_PARSE', '1:14'],
  ['port before the first node', 'IN A(X) OUT -> IN B(Y)', 'E_PARSE', '1:1'],
  ['ports split over two lines', 'A(X) OUT -> IN B(Y) OUT\nIN C(Z)', 'E_PARSE', '1:21'],
  ['port after an IIP target', "'x' -> IN A(X) OUT", 'E_PARSE', '1:16'],
  // fbp: `P OUT` is read as an edge source; the edge A -> P is dropped.
  ['two words between arrows', 'P(Y)\nA(X) -> P OUT -> C(Z)', 'E_PARSE', '2:9'],
  // fbp: metadata {a: 'b'}, the `=c` vanishes; x becomes NaN.
  ['metadata a=b=c', 'A(X:a=b=c)', 'E_PARSE', '1:5'],
  ['non-numeric x', 'A(X:x=abc)', 'E_PARSE', '1:5'],
  // fbp: the second declaration silently replaces the component.
  ['two components for one node', 'A(X)\nA(Y)', 'E_GRAPH', '2:2'],
  // fbp: the last INPORT=...:X wins.
  ['duplicate export name', 'INPORT=A.IN:X\nINPORT=B.IN:X\nA(X)\nB(Y)', 'E_EXPORT', '2:1'],
  // fbp: two declarations.
  ['two declarations without a comma', 'A(X) B(Y)', 'E_PARSE', '1:6'],
];

describe('differential: garbage fbp accepts silently, we report', () => {
  it.each(silentlyAccepted)('%s', (_, text, code, where) => {
    expect(() => fbp.parse(text, { caseSensitive: true })).not.toThrow();
    const d = parseFbp(text).diagnostics[0];
    expect(d, text).toBeDefined();
    expect(`${d.code} ${d.span!.line}:${d.span!.col}`).toBe(`${code} ${where}`);
  });
});

/** Valid for both, or valid only for us, where we deliberately read something else. */
describe('differential: documented differences', () => {
  it('`A -> B -> C` with bare names: fbp drops A -> B, we use the default ports', () => {
    const text = 'A(X)\nB(Y)\nC(Z)\nA -> B -> C';
    expect(theirs(text).connections).toEqual([{ src: { process: 'B', port: 'OUT' }, tgt: { process: 'C', port: 'IN' } }]);
    expect(ours(text).connections).toEqual([
      { src: { process: 'A', port: 'OUT' }, tgt: { process: 'B', port: 'IN' } },
      { src: { process: 'B', port: 'OUT' }, tgt: { process: 'C', port: 'IN' } },
    ]);
  });

  it('metadata over several mentions: fbp keeps the last set, we merge', () => {
    const text = 'A(X:foo=1)\nA(:bar=2)';
    expect(theirs(text).processes.A).toEqual({ component: 'X', metadata: { bar: '2' } });
    expect(ours(text).processes.A).toEqual({ component: 'X', metadata: { foo: '1', bar: '2' } });
  });

  it('an annotation on the last line without a newline: fbp ignores it, we read it', () => {
    expect(theirs('# @name Foo').properties).toEqual({});
    expect(ours('# @name Foo').properties).toEqual({ name: 'Foo' });
  });

  it('annotation values: fbp ignores values outside [A-Za-z0-9-_ .] and keeps trailing spaces', () => {
    expect(theirs('# @description Hello, world!\n').properties).toEqual({});
    expect(ours('# @description Hello, world!\n').properties).toEqual({ description: 'Hello, world!' });
    expect(theirs('# @name Foo \n').properties).toEqual({ name: 'Foo ' });
    expect(ours('# @name Foo \n').properties).toEqual({ name: 'Foo' });
  });

  it('anonymous node ids: fbp replaces only the first run of other characters', () => {
    const text = '(my-lib/Foo) -> (core/Drop)';
    expect(Object.keys(theirs(text).processes)).toEqual(['_my_lib/Foo_1', '_core_Drop_1']);
    expect(Object.keys(ours(text).processes)).toEqual(['_my_lib_Foo_1', '_core_Drop_1']);
  });

  it('`true -> IN B(Y)`: fbp reads a node named true, we read a JSON IIP', () => {
    expect(() => fbp.parse('true -> IN B(Y)', { caseSensitive: true })).toThrow(/undefined source node "true"/);
    expect(ours('true -> IN B(Y)').connections).toEqual([{ data: true, tgt: { process: 'B', port: 'IN' } }]);
  });

  it.each([
    ['tabs as whitespace', 'A(X)\tOUT -> IN B(Y)'],
    ['a bare name right before ->', 'a(X)\nb(Y)\na->b'],
    ['an index on an exported port', 'INPORT=A.IN[1]:X\nA(X)'],
    ['a capacity arrow', 'A(X) OUT -(4)-> IN B(Y)'],
  ])('we accept, fbp rejects: %s', (_, text) => {
    expect(() => fbp.parse(text, { caseSensitive: true })).toThrow();
    expect(parseFbp(text).diagnostics).toEqual([]);
  });

  it.each([
    ['a quoted IIP across lines', "'a\nb' -> IN A(X)", '1:1'],
    // Line 1 is an IIP without a target (1:1), line 2 an arrow without a source (2:1).
    ['a JSON IIP with its arrow on the next line', '5\n-> IN A(X)', '1:1'],
  ])('fbp accepts, we reject: %s', (_, text, where) => {
    expect(() => fbp.parse(text, { caseSensitive: true })).not.toThrow();
    const d = parseFbp(text).diagnostics[0];
    expect(`${d.code} ${d.span!.line}:${d.span!.col}`).toBe(`E_PARSE ${where}`);
  });
});
