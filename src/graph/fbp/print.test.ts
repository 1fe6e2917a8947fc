/**
 * Tests for printFbp: the canonical layout, what cannot be expressed, and the round trip
 * parseFbp(printFbp(g)) = g on seeded random graphs (fast-check; the seed is fixed below).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyGraph, type Graph } from '../graph.ts';
import { arbitraryGraph, withoutSpans } from './graph-arbitrary.testutil.ts';
import { parseFbp } from './parser.ts';
import { printFbp } from './print.ts';

/** Seeded so that a failure reproduces; fast-check prints the seed and the shrunk graph. */
const SEED = 20240611;

function roundTrip(graph: Graph): Graph {
  const text = printFbp(graph);
  const parsed = parseFbp(text);
  expect(parsed.diagnostics, text).toEqual([]);
  return withoutSpans(parsed.graph);
}

describe('printFbp', () => {
  it('writes annotations, exports, declarations on first use, IIPs and edges', () => {
    const { graph } = parseFbp(
      [
        '# @runtime noflo-nodejs',
        '# @name Counter',
        'INPORT=Read.IN:FILE',
        'OUTPORT=Show.OUT:OUT',
        "'a.txt' -> IN Read(fs/ReadFile:x=10,y=20,label=reader)",
        'Read OUT -(8)-> IN[1] Show(core/Output)',
        'Read ERR -> IN[0] Show',
      ].join('\n'),
    );
    expect(printFbp(graph)).toBe(
      [
        '# @runtime noflo-nodejs',
        '# @name Counter',
        'INPORT=Read.IN:FILE',
        'OUTPORT=Show.OUT:OUT',
        '',
        "'a.txt' -> IN Read(fs/ReadFile:x=10,y=20,label=reader)",
        'Read OUT -(8)-> IN[1] Show(core/Output)',
        'Read ERR -> IN[0] Show',
        '',
      ].join('\n'),
    );
  });

  it('declares a node on its own line when first use would change the node order', () => {
    const graph: Graph = {
      ...emptyGraph(),
      nodes: [
        { id: 'A', component: 'X', metadata: {} },
        { id: 'B', component: 'Y', metadata: {} },
        { id: 'C', component: 'Z', metadata: {} },
      ],
      edges: [{ from: { node: 'C', port: 'OUT' }, to: { node: 'A', port: 'IN' }, metadata: {} }],
    };
    expect(printFbp(graph)).toBe('A(X)\nB(Y)\nC(Z) OUT -> IN A\n');
    expect(roundTrip(graph)).toEqual(graph);
  });

  it('quotes text IIPs with \\\' and falls back to a JSON string where quotes cannot say it', () => {
    const graph: Graph = {
      ...emptyGraph(),
      nodes: [{ id: 'A', component: 'X', metadata: {} }],
      iips: [
        { data: "it's", fromText: true, to: { node: 'A', port: 'IN' }, metadata: {} },
        { data: 'ends with \\', fromText: true, to: { node: 'A', port: 'IN' }, metadata: {} },
        { data: 'two\nlines', fromText: true, to: { node: 'A', port: 'IN' }, metadata: {} },
        { data: { n: [1, true] }, fromText: false, to: { node: 'A', port: 'IN' }, metadata: {} },
        { data: false, fromText: false, to: { node: 'A', port: 'IN' }, metadata: {} },
      ],
    };
    expect(printFbp(graph)).toBe(
      [
        "'it\\'s' -> IN A(X)",
        '"ends with \\\\" -> IN A',
        '"two\\nlines" -> IN A',
        '{"n":[1,true]} -> IN A',
        'false -> IN A',
        '',
      ].join('\n'),
    );
    expect(roundTrip(graph)).toEqual(graph);
  });

  it('leaves out what .fbp cannot express', () => {
    const graph: Graph = {
      ...emptyGraph(),
      properties: { name: 'ok', description: 'line\nbreak', count: 3 },
      nodes: [{ id: 'A', component: 'X', metadata: { label: 'has space', x: 1.5, y: 2, ok: 'fine' } }],
      edges: [{ from: { node: 'A', port: 'OUT' }, to: { node: 'A', port: 'IN' }, metadata: { route: 1 } }],
    };
    expect(printFbp(graph)).toBe('# @name ok\n\nA(X:y=2,ok=fine) OUT -> IN A\n');
  });

  it('prints an empty graph as empty text', () => {
    expect(printFbp(emptyGraph())).toBe('');
  });

  it('round-trips random graphs: parseFbp(printFbp(g)) equals g', () => {
    fc.assert(
      fc.property(arbitraryGraph({ extensions: true }), (graph) => {
        expect(roundTrip(graph)).toEqual(graph);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('is canonical: printing a parsed print gives the same text', () => {
    fc.assert(
      fc.property(arbitraryGraph({ extensions: true }), (graph) => {
        const text = printFbp(graph);
        expect(printFbp(parseFbp(text).graph)).toBe(text);
      }),
      { seed: SEED + 1, numRuns: 200 },
    );
  });
});
