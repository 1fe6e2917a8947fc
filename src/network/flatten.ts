/**
 * Flatten: inline every subnet node of a validated graph, so that the network runs one flat
 * graph of components. A subnet node `wc` whose graph has node `Words` becomes node
 * `wc.Words`; edges into or out of the subnet's exported ports are re-attached to the inner
 * port each export names; IIPs on exported in-ports go to that inner port too.
 *
 * Invariants: the input is resolved (validate.ts ran on it and on each subnet, and each
 * subnet graph is itself already flat); the output keeps every span, so errors inside a
 * subnet still point into the subnet's file.
 */
import type { Edge, ExportedPort, Graph, IIP, Node, PortRef } from '../graph/graph.ts';

export type SubnetOf = (component: string) => Graph | undefined;

export function flatten(graph: Graph, subnetOf: SubnetOf): Graph {
  const subnets = new Map<string, Graph>();
  for (const n of graph.nodes) {
    const g = subnetOf(n.component);
    if (g) subnets.set(n.id, g);
  }
  if (subnets.size === 0) return graph;

  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const iips: IIP[] = [];
  for (const n of graph.nodes) {
    const g = subnets.get(n.id);
    if (!g) {
      nodes.push(n);
      continue;
    }
    const prefix = `${n.id}.`;
    for (const inner of g.nodes) nodes.push({ ...inner, id: prefix + inner.id });
    for (const e of g.edges) edges.push({ ...e, from: prefixed(e.from, prefix), to: prefixed(e.to, prefix) });
    for (const iip of g.iips) iips.push({ ...iip, to: prefixed(iip.to, prefix) });
  }

  const through = (ref: PortRef, dir: 'in' | 'out'): PortRef => {
    const g = subnets.get(ref.node);
    if (!g) return ref;
    const exports = dir === 'in' ? g.inports : g.outports;
    const ex = findExport(exports, ref.port);
    if (!ex) throw new Error(`internal: subnet ${ref.node} has no exported ${dir}-port ${ref.port}`);
    return { node: `${ref.node}.${ex.node}`, port: ex.port, index: ex.index ?? ref.index, span: ref.span };
  };
  for (const e of graph.edges) edges.push({ ...e, from: through(e.from, 'out'), to: through(e.to, 'in') });
  for (const iip of graph.iips) iips.push({ ...iip, to: through(iip.to, 'in') });

  const reexport = (list: ExportedPort[], dir: 'in' | 'out'): ExportedPort[] =>
    list.map((p) => {
      const r = through({ node: p.node, port: p.port, index: p.index }, dir);
      return { ...p, node: r.node, port: r.port, index: r.index };
    });

  return {
    ...graph,
    nodes,
    edges,
    iips,
    inports: reexport(graph.inports, 'in'),
    outports: reexport(graph.outports, 'out'),
  };
}

function prefixed(ref: PortRef, prefix: string): PortRef {
  return { ...ref, node: prefix + ref.node };
}

function findExport(list: ExportedPort[], port: string): ExportedPort | undefined {
  return list.find((p) => p.name === port) ?? list.find((p) => p.name.toLowerCase() === port.toLowerCase());
}
