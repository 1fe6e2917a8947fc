/**
 * Property tests for place(): 500 seeded random graphs checked against every invariant of a
 * placement (check.testutil.ts), the balance bound for graphs without pins, determinism; and a
 * 10,000-node sparse graph that must place quickly and cut far fewer edges than chance.
 */
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/rng.ts';
import { graph, placeChecked, weightOf, type Meta } from './check.testutil.ts';
import { explainPlacement, place, type PlacementInput } from './placement.ts';

function randomInput(next: () => number, n: number, workers: number, pins: boolean): PlacementInput {
  const int = (k: number) => Math.floor(next() * k);
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  const meta: Meta = {};
  for (const id of ids) {
    const m: Record<string, unknown> = {};
    if (pins && next() < 0.15) m.worker = next() < 0.5 ? int(workers) : String(int(workers));
    const r = next();
    if (r < 0.2) m.load = 1 + int(9);
    else if (r < 0.3) m.load = String(0.25 * (1 + int(8)));
    meta[id] = m;
  }
  const edges: [string, string][] = [];
  const count = int(2 * n + 1);
  for (let e = 0; e < count; e++) edges.push([ids[int(n)], ids[int(n)]]);
  return graph(ids, edges, meta);
}

describe('place: random graphs', () => {
  it('keeps every invariant on 500 seeded graphs', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = rng(seed);
      const n = 1 + Math.floor(next() * 60);
      const workers = 1 + Math.floor(next() * 8);
      const pins = next() < 0.5;
      const input = randomInput(next, n, workers, pins);
      const p = placeChecked(input, workers);
      const again = place(input, workers);
      expect([...again.worker], `seed ${seed}`).toEqual([...p.worker]);
      expect([...again.reason], `seed ${seed}`).toEqual([...p.reason]);
      expect(explainPlacement(input, again)).toBe(explainPlacement(input, p));
      for (const reason of p.reason.values()) {
        expect(reason).toMatch(/^(pinned \(metadata worker=\d\)|with its neighbour n\d+.*|balance \((moved from worker \d|no edges|no neighbour on this worker)\))$/);
      }
      if (workers === 1) expect(p.crossEdges, `seed ${seed}`).toEqual([]);
      if (!pins) {
        const weights = input.nodes.map((node) => weightOf(node.metadata));
        const avg = weights.reduce((a, b) => a + b, 0) / workers;
        const bound = Math.max(1.1 * avg, avg + Math.max(...weights));
        expect(Math.max(...p.load), `seed ${seed}`).toBeLessThanOrEqual(bound + 1e-9);
      }
    }
  });

  it('places 10,000 nodes of a sparse graph quickly, cutting far fewer edges than chance', () => {
    const next = rng(20261126);
    const n = 10_000;
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    const edges: [string, string][] = [];
    // a random tree in node order (mostly local, like a pipeline) plus random long edges
    for (let i = 1; i < n; i++) {
      edges.push([ids[Math.max(0, i - 1 - Math.floor(next() * 20))], ids[i]]);
      if (next() < 0.3) edges.push([ids[Math.floor(next() * n)], ids[Math.floor(next() * n)]]);
    }
    const meta: Meta = {};
    for (let i = 0; i < n; i += 97) meta[ids[i]] = { load: 1 + Math.floor(next() * 5) };
    meta[ids[5000]] = { worker: 1 };
    const input = graph(ids, edges, meta);
    for (const workers of [2, 8]) {
      const start = performance.now();
      const p = place(input, workers);
      const ms = performance.now() - start;
      expect(ms).toBeLessThan(10_000);
      placeChecked(input, workers);
      // a random assignment cuts (1 - 1/workers) of the edges
      expect(p.crossEdges.length).toBeLessThan(0.25 * edges.length);
      const avg = p.load.reduce((a, b) => a + b, 0) / workers;
      expect(Math.max(...p.load)).toBeLessThanOrEqual(1.1 * avg);
    }
  });
});
