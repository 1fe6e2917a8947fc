/**
 * explainPlacement: the text `weft run --explain` prints for a placement. Per worker its load,
 * node count and nodes (in graph order, each with its reason; a node whose load is not 1 shows
 * it), then the cross-worker edges in edge order, then a one-line summary. Deterministic: it
 * depends only on the input and the placement.
 */
import { formatPortRef } from '../graph/graph.ts';
import { readPlacementInput } from './input.ts';
import type { Placement, PlacementEnd, PlacementInput } from './placement.ts';

/** A load as text: integers as they are, else at most three decimals. */
export function formatLoad(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(3)));
}

function end(ref: PlacementEnd): string {
  return ref.port === undefined ? ref.node : formatPortRef({ node: ref.node, port: ref.port, index: ref.index });
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function explainPlacement(input: PlacementInput, p: Placement): string {
  const { weight } = readPlacementInput(input, p.workers);
  const labels = input.nodes.map((node, i) => (weight[i] === 1 ? node.id : `${node.id} (load ${formatLoad(weight[i])})`));
  const width = Math.max(0, ...labels.map((l) => l.length));
  const lines: string[] = [];
  for (let w = 0; w < p.workers; w++) {
    const mine = input.nodes.flatMap((node, i) => (p.worker.get(node.id) === w ? [i] : []));
    const nodes = mine.length === 0 ? 'no nodes' : count(mine.length, 'node');
    lines.push(`worker ${w}: load ${formatLoad(p.load[w])}, ${nodes}`);
    for (const i of mine) lines.push(`  ${labels[i].padEnd(width)}  ${p.reason.get(input.nodes[i].id) ?? ''}`);
  }
  lines.push(`cross-worker edges: ${p.crossEdges.length === 0 ? 'none' : p.crossEdges.length}`);
  for (const e of p.crossEdges) {
    const edge = input.edges[e];
    lines.push(`  ${end(edge.from)} -> ${end(edge.to)}  (worker ${p.worker.get(edge.from.node)} -> ${p.worker.get(edge.to.node)})`);
  }
  const max = Math.max(...p.load), min = Math.min(...p.load);
  const ratio = min > 0 ? (max / min).toFixed(2) : max > 0 ? 'inf' : '-';
  lines.push(
    `summary: ${count(p.workers, 'worker')}, ${count(input.nodes.length, 'node')}, ` +
      `${count(p.crossEdges.length, 'cross edge')} of ${input.edges.length}, ` +
      `max/min load ${formatLoad(max)}/${formatLoad(min)} = ${ratio}`,
  );
  return lines.join('\n');
}
