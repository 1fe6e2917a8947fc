import { describe, expect, it } from 'vitest';
import { emptyGraph, type Graph } from '../graph/graph.ts';
import { expandParallel } from './parallel.ts';

function g(meta: Record<string, unknown>, extraInput = false): Graph {
  const graph = emptyGraph();
  graph.nodes.push({ id: 'U', component: 'c/U', metadata: {} });
  graph.nodes.push({ id: 'X', component: 'c/X', metadata: meta, span: { file: 'g.fbp', line: 3, col: 1 } });
  graph.nodes.push({ id: 'D', component: 'c/D', metadata: {} });
  graph.edges.push({ from: { node: 'U', port: 'out' }, to: { node: 'X', port: 'in' }, metadata: {} });
  if (extraInput) graph.edges.push({ from: { node: 'D', port: 'out' }, to: { node: 'X', port: 'in' }, metadata: {} });
  graph.edges.push({ from: { node: 'X', port: 'out' }, to: { node: 'D', port: 'in' }, metadata: {} });
  graph.iips.push({ data: 5, fromText: false, to: { node: 'X', port: 'n' }, metadata: {} });
  return graph;
}

describe('expandParallel', () => {
  it('leaves a graph without parallel nodes as it is', () => {
    const graph = g({});
    expect(expandParallel(graph, 4)).toBe(graph);
  });

  it('parallel 3 on 2 workers: replicas pinned round-robin, one queue from U, IIPs copied, outputs fan in', () => {
    const out = expandParallel(g({ parallel: '3' }), 2);
    expect(out.nodes.map((n) => [n.id, n.metadata.worker ?? '-'])).toEqual([
      ['U', '-'],
      ['X#1', 0],
      ['X#2', 1],
      ['X#3', 0],
      ['D', '-'],
    ]);
    const into = out.edges.filter((e) => e.from.node === 'U');
    expect(into.map((e) => e.to.node)).toEqual(['X#1', 'X#2', 'X#3']);
    expect(new Set(into.map((e) => e.metadata.queue)).size).toBe(1);
    expect(out.edges.filter((e) => e.to.node === 'D').map((e) => e.from.node)).toEqual(['X#1', 'X#2', 'X#3']);
    expect(out.edges.filter((e) => e.to.node === 'D').every((e) => e.metadata.queue === undefined && e.metadata.merge === undefined)).toBe(true);
    expect(out.iips.map((i) => i.to.node)).toEqual(['X#1', 'X#2', 'X#3']);
  });

  it("'auto' makes one replica per worker; a pinned node keeps all its replicas on its worker", () => {
    expect(expandParallel(g({ parallel: 'auto' }), 4).nodes.filter((n) => n.id.startsWith('X#')).length).toBe(4);
    const pinned = expandParallel(g({ parallel: 2, worker: 1 }), 4);
    expect(pinned.nodes.filter((n) => n.id.startsWith('X#')).map((n) => n.metadata.worker)).toEqual([1, 1]);
  });

  it('ordered: the outputs carry one merge key, the node and each replica number', () => {
    const out = expandParallel(g({ parallel: 2, ordered: 'true' }), 2);
    const outs = out.edges.filter((e) => e.to.node === 'D');
    expect(outs.map((e) => [e.from.node, e.metadata.merge, e.metadata.order, e.metadata.replica])).toEqual([
      ['X#1', 'm1', 'X', 0],
      ['X#2', 'm1', 'X', 1],
    ]);
  });

  it('refuses bad values and an ordered node with two inputs, with clear messages', () => {
    expect(() => expandParallel(g({ parallel: 'many' }), 2)).toThrow(/g\.fbp:3:1: node X: metadata parallel must be an integer in 1\.\.1024 or 'auto', got "many"/);
    expect(() => expandParallel(g({ parallel: 0 }), 2)).toThrow(/metadata parallel/);
    expect(() => expandParallel(g({ parallel: 2, ordered: 'yes' }), 2)).toThrow(/metadata ordered must be true or false, got "yes"/);
    expect(() => expandParallel(g({ parallel: 2, ordered: true }, true), 2)).toThrow(/needs exactly one input edge \(it has 2\)/);
  });
});
