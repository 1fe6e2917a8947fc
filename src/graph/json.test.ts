/**
 * Tests for the NoFlo JSON loader and writer: shapes, spans with line:col and path, every
 * shape error, and the round trip through JSON text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryGraph, withoutSpans } from './fbp/graph-arbitrary.testutil.ts';
import { parseFbp } from './fbp/parser.ts';
import type { Graph } from './graph.ts';
import { parseJsonGraph, toJson } from './json.ts';

const NOFLO = `{
  "caseSensitive": false,
  "properties": { "name": "Reader", "environment": { "type": "noflo-nodejs" } },
  "inports": { "FILE": { "process": "Read", "port": "in", "metadata": { "x": 1 } } },
  "outports": { "OUT": { "process": "Show", "port": "out", "index": 2 } },
  "groups": [],
  "processes": {
    "Read": { "component": "fs/ReadFile", "metadata": { "label": "Read", "x": 10 } },
    "Show": { "component": "core/Output" }
  },
  "connections": [
    { "data": "a.txt", "tgt": { "process": "Read", "port": "in" } },
    { "src": { "process": "Read", "port": "out" }, "tgt": { "process": "Show", "port": "in", "index": 0 },
      "metadata": { "capacity": 8, "route": 3 } },
    { "data": { "level": 2 }, "tgt": { "process": "Show", "port": "options" }, "metadata": { "secret": true } }
  ]
}`;

/** `CODE line:col path` per diagnostic. */
function errors(text: string): string[] {
  return parseJsonGraph(text, 'g.json').diagnostics.map((d) => `${d.code} ${d.span!.line}:${d.span!.col}${d.span!.path ? ` ${d.span!.path}` : ''}`);
}

describe('parseJsonGraph', () => {
  it('reads a NoFlo graph, with spans that have a line, a column and a path', () => {
    const { graph, diagnostics } = parseJsonGraph(NOFLO, 'g.json');
    expect(diagnostics).toEqual([]);
    expect(graph.file).toBe('g.json');
    expect(graph.properties).toEqual({ name: 'Reader', environment: { type: 'noflo-nodejs' } });
    expect(graph.nodes).toEqual([
      { id: 'Read', component: 'fs/ReadFile', metadata: { label: 'Read', x: 10 }, span: { file: 'g.json', line: 8, col: 13, path: 'processes.Read' } },
      { id: 'Show', component: 'core/Output', metadata: {}, span: { file: 'g.json', line: 9, col: 13, path: 'processes.Show' } },
    ]);
    expect(graph.iips.map((i) => [i.data, i.fromText, i.to.node, i.to.port, i.metadata, i.span!.path, i.span!.line])).toEqual([
      ['a.txt', false, 'Read', 'in', {}, 'connections[0]', 12],
      [{ level: 2 }, false, 'Show', 'options', { secret: true }, 'connections[2]', 15],
    ]);
    expect(graph.edges).toEqual([
      {
        from: { node: 'Read', port: 'out', span: { file: 'g.json', line: 13, col: 14, path: 'connections[1].src' } },
        to: { node: 'Show', port: 'in', index: 0, span: { file: 'g.json', line: 13, col: 59, path: 'connections[1].tgt' } },
        capacity: 8,
        metadata: { route: 3 },
        span: { file: 'g.json', line: 13, col: 5, path: 'connections[1]' },
      },
    ]);
    expect(graph.inports).toEqual([{ name: 'FILE', node: 'Read', port: 'in', metadata: { x: 1 }, span: { file: 'g.json', line: 4, col: 24, path: 'inports.FILE' } }]);
    expect(graph.outports.map((p) => [p.name, p.node, p.port, p.index])).toEqual([['OUT', 'Show', 'out', 2]]);
  });

  it.each([
    ['a missing comma', '{\n  "processes": {}\n  "connections": []\n}', ['E_PARSE 3:3']],
    ['a trailing comma', '{ "processes": {}, }', ['E_PARSE 1:20']],
    ['an unterminated string', '{ "processes": {"A": {"component": "x}}}', ['E_PARSE 1:36']],
    ['empty text', '', ['E_PARSE 1:1']],
    ['text after the graph', '{}\n{}', ['E_PARSE 2:1']],
    ['a comment', '{ // no\n}', ['E_PARSE 1:3']],
  ])('reports invalid JSON at its line:col: %s', (_, text, expected) => {
    expect(errors(text)).toEqual(expected);
    expect(parseJsonGraph(text).diagnostics[0].message).toMatch(/^invalid JSON: /);
  });

  it.each([
    ['not an object', '[]', 'E_GRAPH 1:1'],
    ['processes not an object', '{"processes": []}', 'E_GRAPH 1:15 processes'],
    ['process without component', '{"processes": {"A": {}}}', 'E_GRAPH 1:21 processes.A.component'],
    ['component not a string', '{"processes": {"A": {"component": 3}}}', 'E_GRAPH 1:35 processes.A.component'],
    ['metadata not an object', '{"processes": {"A": {"component": "c", "metadata": 1}}}', 'E_GRAPH 1:52 processes.A.metadata'],
    ['connections not an array', '{"connections": {}}', 'E_GRAPH 1:17 connections'],
    ['connection neither edge nor IIP', '{"connections": [{"tgt": {"process": "A", "port": "IN"}}]}', 'E_GRAPH 1:18 connections[0]'],
    ['connection both edge and IIP', '{"connections": [{"data": 1, "src": {}, "tgt": {}}]}', 'E_GRAPH 1:18 connections[0]'],
    ['missing tgt', '{"connections": [{"data": 1}]}', 'E_GRAPH 1:18 connections[0].tgt'],
    ['port not a string', '{"connections": [{"data": 1, "tgt": {"process": "A", "port": 7}}]}', 'E_GRAPH 1:62 connections[0].tgt.port'],
    ['index not a number', '{"connections": [{"data": 1, "tgt": {"process": "A", "port": "IN", "index": "1"}}]}', 'E_GRAPH 1:77 connections[0].tgt.index'],
    ['src not an object', '{"connections": [{"src": "A.OUT", "tgt": {"process": "A", "port": "IN"}}]}', 'E_GRAPH 1:26 connections[0].src'],
    ['capacity not a positive integer', '{"connections": [{"src": {"process": "A", "port": "OUT"}, "tgt": {"process": "A", "port": "IN"}, "metadata": {"capacity": 0}}]}', 'E_CAPACITY 1:123 connections[0].metadata.capacity'],
    ['inport without process', '{"inports": {"X": {"port": "IN"}}}', 'E_GRAPH 1:19 inports.X.process'],
    ['legacy exports', '{"exports": []}', 'E_GRAPH 1:13 exports'],
    ['duplicate key', '{"processes": {"A": {"component": "x"}, "A": {"component": "y"}}}', 'E_GRAPH 1:41 processes.A'],
  ])('reports a wrong shape with its path: %s', (_, text, expected) => {
    expect(errors(text)).toEqual([expected]);
  });

  it('collects all shape problems, sorted by position', () => {
    expect(errors('{"processes": {"A": {}, "B": {"component": 1}}, "connections": [{}, {"data": 1}]}')).toEqual([
      'E_GRAPH 1:21 processes.A.component',
      'E_GRAPH 1:44 processes.B.component',
      'E_GRAPH 1:65 connections[0]',
      'E_GRAPH 1:69 connections[1].tgt',
    ]);
  });

  it('never throws, on damaged graphs or on any JSON value', () => {
    const damaged = fc.tuple(fc.nat(NOFLO.length), fc.nat(4), fc.constantFrom('', '"', '{', '}', '[', ']', ',', ':', '1', 'null')).map(
      ([at, cut, insert]) => NOFLO.slice(0, at) + insert + NOFLO.slice(at + cut),
    );
    fc.assert(
      fc.property(fc.oneof(damaged, fc.json({ maxDepth: 4 }), fc.string()), (text) => {
        for (const d of parseJsonGraph(text).diagnostics) expect(d.span!.line).toBeGreaterThan(0);
      }),
      { seed: 5, numRuns: 2000 },
    );
  });

  it('treats a null index as absent and passes other numbers to validation', () => {
    const { graph, diagnostics } = parseJsonGraph('{"processes": {"A": {"component": "c"}}, "connections": [{"data": 1, "tgt": {"process": "A", "port": "IN", "index": null}}, {"data": 2, "tgt": {"process": "A", "port": "IN", "index": -1.5}}]}');
    expect(diagnostics).toEqual([]);
    expect(graph.iips.map((i) => i.to.index)).toEqual([undefined, -1.5]);
  });
});

describe('toJson', () => {
  it('writes the NoFlo shape, capacity into edge metadata, connections in order of appearance', () => {
    const { graph } = parseFbp("# @name G\nINPORT=A.IN:IN\n'x' -> IN A(core/Repeat:x=5)\nA OUT -(4)-> IN[1] B(core/Output)\n'y' -> OPTIONS B");
    expect(toJson(graph)).toEqual({
      caseSensitive: true,
      properties: { name: 'G' },
      inports: { IN: { process: 'A', port: 'IN' } },
      outports: {},
      groups: [],
      processes: { A: { component: 'core/Repeat', metadata: { x: 5 } }, B: { component: 'core/Output' } },
      connections: [
        { data: 'x', tgt: { process: 'A', port: 'IN' } },
        { src: { process: 'A', port: 'OUT' }, tgt: { process: 'B', port: 'IN', index: 1 }, metadata: { capacity: 4 } },
        { data: 'y', tgt: { process: 'B', port: 'OPTIONS' } },
      ],
    });
  });

  it('round-trips through JSON text: parseJsonGraph(toJson(g)) equals g', () => {
    const { graph } = parseJsonGraph(NOFLO);
    const again = parseJsonGraph(JSON.stringify(toJson(graph), null, 2));
    expect(again.diagnostics).toEqual([]);
    expect(withoutSpans(again.graph)).toEqual(withoutSpans(graph));
  });

  it('round-trips random graphs (JSON has no fromText: text IIPs come back as JSON values)', () => {
    fc.assert(
      fc.property(arbitraryGraph({ extensions: true }), (graph) => {
        const again = parseJsonGraph(JSON.stringify(toJson(graph)));
        expect(again.diagnostics).toEqual([]);
        const expected: Graph = { ...graph, iips: graph.iips.map((i) => ({ ...i, fromText: false })) };
        expect(withoutSpans(again.graph)).toEqual(expected);
      }),
      { seed: 99, numRuns: 300 },
    );
  });
});
