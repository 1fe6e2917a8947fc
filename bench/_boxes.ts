/**
 * The pass-through components and the chain graph shared by chain.ts and idle-memory.ts.
 * The components are the tests' own (test/helpers/net.ts), written as a user would write them.
 */
import { emptyGraph, type Graph } from '../src/graph/graph.ts';

/** The payload every benchmark sends. */
export interface Item {
  n: number;
}

/** The pass-through components of the tests (a non-looper and a looper written with the
 * await-only-a-Promise idiom) and a stdout that discards everything. */
export { nullSink, PassLooper, PassNL } from '../test/helpers/net.ts';

/**
 * `src.out -> p0.in`, `p0.out -> p1.in`, … `p(boxes-1).out -> sink.in`. The nodes' component
 * names are `src`, `pass` and `sink`: resolve them with `(node) => comps[node.component]`.
 */
export function chainGraph(boxes: number): Graph {
  const g = emptyGraph();
  g.nodes.push({ id: 'src', component: 'src', metadata: {} });
  let prev = 'src';
  for (let i = 0; i <= boxes; i++) {
    const id = i < boxes ? `p${i}` : 'sink';
    g.nodes.push({ id, component: i < boxes ? 'pass' : 'sink', metadata: {} });
    g.edges.push({ from: { node: prev, port: 'out' }, to: { node: id, port: 'in' }, metadata: {} });
    prev = id;
  }
  return g;
}
