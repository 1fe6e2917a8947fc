/**
 * Test helpers for placement: small graph builders and a checker of the invariants every
 * placement must keep (placement.ts lists them).
 */
import { expect } from 'vitest';
import { place, type Placement, type PlacementInput } from './placement.ts';

export type Meta = Record<string, Record<string, unknown>>;

export function graph(ids: string[], edges: ReadonlyArray<readonly [string, string]>, meta: Meta = {}): PlacementInput {
  return {
    nodes: ids.map((id) => ({ id, metadata: meta[id] ?? {} })),
    edges: edges.map(([from, to]) => ({ from: { node: from }, to: { node: to } })),
  };
}

/** `P1 -> P2 -> ... -> Pn` */
export function chain(prefix: string, n: number): { ids: string[]; edges: [string, string][] } {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  return { ids, edges: ids.slice(1).map((id, i) => [ids[i], id]) };
}

export function weightOf(metadata: Record<string, unknown>): number {
  return metadata.load === undefined ? 1 : Number(metadata.load);
}

/** Places the input and checks every invariant of the result; returns the placement. */
export function placeChecked(input: PlacementInput, workers: number): Placement {
  const p = place(input, workers);
  expect(p.workers).toBe(workers);
  expect([...p.worker.keys()]).toEqual(input.nodes.map((n) => n.id));
  const load = new Array<number>(workers).fill(0);
  for (const node of input.nodes) {
    const w = p.worker.get(node.id)!;
    expect(Number.isInteger(w) && w >= 0 && w < workers, `${node.id} on worker ${w}`).toBe(true);
    if (node.metadata.worker !== undefined) expect(w, `pin of ${node.id}`).toBe(Number(node.metadata.worker));
    load[w] += weightOf(node.metadata);
    expect(p.reason.get(node.id), `reason of ${node.id}`).toMatch(/\S/);
  }
  expect(p.load).toHaveLength(workers);
  p.load.forEach((l, w) => expect(l).toBeCloseTo(load[w], 9));
  const total = input.nodes.reduce((s, n) => s + weightOf(n.metadata), 0);
  expect(p.load.reduce((s, l) => s + l, 0)).toBeCloseTo(total, 6);
  const cross = input.edges.flatMap((e, i) => (p.worker.get(e.from.node) !== p.worker.get(e.to.node) ? [i] : []));
  expect(p.crossEdges).toEqual(cross);
  return p;
}
