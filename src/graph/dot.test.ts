/**
 * Tests for printDot: the structure of the output (nodes, IIP notes, export nodes, edge labels
 * with ports and capacity), escaping, and determinism.
 */
import { describe, expect, it } from 'vitest';
import { printDot } from './dot.ts';
import { parseFbp } from './fbp/parser.ts';
import { emptyGraph, type Graph } from './graph.ts';

const TEXT = [
  '# @name Pipeline',
  'INPORT=Read.IN:FILE',
  'OUTPORT=Show.OUT:RESULT',
  "'say \"hi\"' -> IN Read(fs/ReadFile)",
  '{"level": 2} -> OPTIONS Show(core/Output)',
  'Read OUT -(4)-> IN[1] Split(core/Split) OUT[0] -> IN Show',
].join('\n');

function graph(): Graph {
  const { graph, diagnostics } = parseFbp(TEXT);
  expect(diagnostics).toEqual([]);
  return graph;
}

/** The statement lines of a dot text, without the header and the closing brace. */
function body(dot: string): string[] {
  return dot.trim().split('\n').slice(4, -1).map((l) => l.trim());
}

describe('printDot', () => {
  it('writes a digraph named after the graph, with default styles', () => {
    const dot = printDot(graph());
    expect(dot.split('\n').slice(0, 4)).toEqual([
      'digraph "Pipeline" {',
      '  rankdir=LR;',
      '  node [shape=box, fontname="Helvetica", fontsize=11];',
      '  edge [fontname="Helvetica", fontsize=9];',
    ]);
    expect(dot.endsWith('}\n')).toBe(true);
  });

  it('has one node per graph node, labelled id and component', () => {
    const lines = body(printDot(graph()));
    expect(lines.filter((l) => l.includes('(fs/') || l.includes('(core/'))).toEqual([
      '"Read" [label="Read\\n(fs/ReadFile)"];',
      '"Show" [label="Show\\n(core/Output)"];',
      '"Split" [label="Split\\n(core/Split)"];',
    ]);
  });

  it('labels edges with their ports and capacity, and draws IIPs and exports', () => {
    expect(body(printDot(graph()))).toEqual([
      '"Read" [label="Read\\n(fs/ReadFile)"];',
      '"Show" [label="Show\\n(core/Output)"];',
      '"Split" [label="Split\\n(core/Split)"];',
      '"iip:0" [shape=note, fontsize=9, label="\'say \\"hi\\"\'"];',
      '"iip:0" -> "Read" [label="IN"];',
      '"iip:1" [shape=note, fontsize=9, label="{\\"level\\":2}"];',
      '"iip:1" -> "Show" [label="OPTIONS"];',
      '"Read" -> "Split" [label="OUT -> IN[1]\\ncap 4"];',
      '"Split" -> "Show" [label="OUT[0] -> IN"];',
      '"inport:FILE" [shape=plaintext, label="FILE"];',
      '"inport:FILE" -> "Read" [style=dashed, label="IN"];',
      '"outport:RESULT" [shape=plaintext, label="RESULT"];',
      '"Show" -> "outport:RESULT" [style=dashed, label="OUT"];',
    ]);
  });

  it('is deterministic', () => {
    expect(printDot(graph())).toBe(printDot(graph()));
  });

  it('keeps helper ids apart from node ids, escapes and shortens labels', () => {
    const g: Graph = {
      ...emptyGraph(),
      nodes: [{ id: 'iip:0', component: 'a\\b', metadata: {} }],
      iips: [{ data: 'x'.repeat(40), fromText: true, to: { node: 'iip:0', port: 'IN' }, metadata: {} }],
    };
    expect(body(printDot(g))).toEqual([
      '"iip:0" [label="iip:0\\n(a\\\\b)"];',
      `"iip:0'" [shape=note, fontsize=9, label="'${'x'.repeat(30)}…"];`,
      `"iip:0'" -> "iip:0" [label="IN"];`,
    ]);
  });

  it('writes an empty graph as an empty digraph', () => {
    expect(printDot(emptyGraph())).toBe(
      'digraph "graph" {\n  rankdir=LR;\n  node [shape=box, fontname="Helvetica", fontsize=11];\n  edge [fontname="Helvetica", fontsize=9];\n}\n',
    );
  });
});
