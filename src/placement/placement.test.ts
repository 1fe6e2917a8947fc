/**
 * Tests for place(): the graph shapes the algorithm must handle well (chains, disconnected
 * chains, fan-out/fan-in, a heavy node, pins), the edge cases (one worker, more workers than
 * nodes), the metadata it reads and refuses, reasons, and the exact text of explainPlacement.
 * placement.property.test.ts checks the invariants on random graphs.
 */
import { describe, expect, it } from 'vitest';
import { isWeftError } from '../errors.ts';
import { chain, graph, placeChecked } from './check.testutil.ts';
import { explainPlacement, place, type PlacementInput } from './placement.ts';

function workersOf(p: { worker: Map<string, number> }, ids: string[]): number[] {
  return ids.map((id) => p.worker.get(id)!);
}

function fanOutFanIn(): PlacementInput {
  const branches = Array.from({ length: 8 }, (_, i) => `W${i}`);
  return graph(
    ['source', 'split', ...branches, 'join', 'sink'],
    [['source', 'split'], ...branches.map((b) => ['split', b] as const), ...branches.map((b) => [b, 'join'] as const), ['join', 'sink']],
  );
}

describe('place: shapes', () => {
  it('cuts a chain of 10 on 2 workers once, 5/5', () => {
    const { ids, edges } = chain('N', 10);
    const p = placeChecked(graph(ids, edges), 2);
    expect(p.crossEdges).toHaveLength(1);
    expect(p.load).toEqual([5, 5]);
    expect(workersOf(p, ids)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('cuts a chain of 10 on 4 workers three times, each load within 1 of 2.5', () => {
    const { ids, edges } = chain('N', 10);
    const p = placeChecked(graph(ids, edges), 4);
    expect(p.crossEdges).toHaveLength(3);
    for (const l of p.load) expect(Math.abs(l - 2.5)).toBeLessThanOrEqual(1);
  });

  it('finds the chain order whatever the order the nodes are listed in', () => {
    const { ids, edges } = chain('N', 10);
    const shuffled = [ids[7], ids[2], ids[9], ids[0], ids[5], ids[3], ids[8], ids[1], ids[6], ids[4]];
    const p = placeChecked(graph(shuffled, edges), 2);
    expect(p.crossEdges).toHaveLength(1);
    expect(p.load).toEqual([5, 5]);
  });

  it('keeps two disconnected chains of 5 whole on 2 workers', () => {
    const a = chain('A', 5), b = chain('B', 5);
    const interleaved = a.ids.flatMap((id, i) => [id, b.ids[i]]);
    const p = placeChecked(graph(interleaved, [...a.edges, ...b.edges]), 2);
    expect(p.crossEdges).toEqual([]);
    expect(p.load).toEqual([5, 5]);
    expect(new Set(workersOf(p, a.ids)).size).toBe(1);
    expect(new Set(workersOf(p, b.ids)).size).toBe(1);
  });

  it('splits a fan-out/fan-in 6/6 with 8 cross edges, the fewest any split within 1 of even can have', () => {
    const input = fanOutFanIn();
    const p = placeChecked(input, 2);
    expect(p.load).toEqual([6, 6]);
    expect(p.crossEdges).toHaveLength(8);
    // split and join on one side: each branch on the other costs 2; on different sides: every
    // branch costs 1. So "at most 4" cannot be met while balanced; check all 2^12 assignments.
    const index = new Map(input.nodes.map((n, i) => [n.id, i]));
    let best = Infinity;
    for (let mask = 0; mask < 1 << 12; mask++) {
      const ones = input.nodes.filter((_, i) => mask & (1 << i)).length;
      if (Math.abs(ones - 6) > 1) continue;
      const side = (id: string) => (mask >> index.get(id)!) & 1;
      best = Math.min(best, input.edges.filter((e) => side(e.from.node) !== side(e.to.node)).length);
    }
    expect(best).toBe(8);
    expect(workersOf(p, ['source', 'split'])).toEqual([0, 0]);
    expect(workersOf(p, ['join', 'sink'])).toEqual([1, 1]);
  });

  it('puts a heavy node (load 8) alone against 8 light ones, 8/8', () => {
    const ids = ['L1', 'L2', 'L3', 'L4', 'H', 'L5', 'L6', 'L7', 'L8'];
    const edges = ids.slice(1).map((id, i) => [ids[i], id] as const);
    for (const load of [8, '8']) {
      const p = placeChecked(graph(ids, edges, { H: { load } }), 2);
      expect(p.load).toEqual([8, 8]);
      const heavy = p.worker.get('H')!;
      expect(ids.filter((id) => p.worker.get(id) === heavy)).toEqual(['H']);
      expect(p.crossEdges).toHaveLength(2);
    }
  });

  it('balances a heavy source with a light chain better than 2:1', () => {
    const ids = ['H', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8'];
    const edges = ids.slice(1).map((id, i) => [ids[i], id] as const);
    const p = placeChecked(graph(ids, edges, { H: { load: 8 } }), 2);
    expect(Math.max(...p.load) / Math.min(...p.load)).toBeLessThan(2);
    expect(p.load).toEqual([8, 8]);
    expect(p.crossEdges).toHaveLength(1);
  });

  it('respects pins even when they cost cross edges', () => {
    const { ids, edges } = chain('N', 6);
    const p = placeChecked(graph(ids, edges, { N1: { worker: 0 }, N3: { worker: '1' }, N5: { worker: 0 } }), 2);
    expect(workersOf(p, ['N1', 'N3', 'N5'])).toEqual([0, 1, 0]);
    // two cuts are forced (N1..N3 and N3..N5); the free nodes join without adding a third
    expect(p.crossEdges).toHaveLength(2);
    expect(p.load).toEqual([3, 3]);
    const tight = placeChecked(graph(['A', 'B'], [['A', 'B'], ['B', 'A']], { A: { worker: 1 }, B: { worker: 0 } }), 2);
    expect(tight.crossEdges).toEqual([0, 1]);
  });

  it('grows a pinned worker from its pins', () => {
    const { ids, edges } = chain('N', 6);
    const p = placeChecked(graph(ids, edges, { N1: { worker: 1 } }), 2);
    expect(workersOf(p, ids)).toEqual([1, 1, 1, 0, 0, 0]);
    expect(p.crossEdges).toEqual([2]);
  });
});

describe('place: edge cases', () => {
  it('puts everything on worker 0 when there is one worker', () => {
    const { ids, edges } = chain('N', 5);
    const p = placeChecked(graph(ids, [...edges, ['N5', 'N1']], { N2: { worker: 0 }, N3: { load: 2.5 } }), 1);
    expect(new Set(p.worker.values())).toEqual(new Set([0]));
    expect(p.crossEdges).toEqual([]);
    expect(p.load).toEqual([6.5]);
  });

  it('leaves workers empty when there are fewer nodes than workers', () => {
    const { ids, edges } = chain('N', 3);
    const p = placeChecked(graph(ids, edges), 8);
    expect(p.load.filter((l) => l === 0)).toHaveLength(5);
    expect(p.load.reduce((a, b) => a + b)).toBe(3);
    const empty = placeChecked(graph([], []), 3);
    expect(empty.load).toEqual([0, 0, 0]);
  });

  it('counts every parallel edge and never a self loop', () => {
    const input = graph(['A', 'B', 'C', 'D'], [['A', 'B'], ['A', 'B'], ['A', 'A'], ['B', 'C'], ['C', 'D'], ['C', 'D']]);
    const p = placeChecked(input, 2);
    expect(p.crossEdges).toEqual([3]);
    expect(p.reason.get('A')).toBe('with its neighbour B (2 edges)');
  });

  it('is deterministic', () => {
    const input = fanOutFanIn();
    const a = place(input, 3), b = place(input, 3);
    expect([...a.worker]).toEqual([...b.worker]);
    expect(explainPlacement(input, a)).toBe(explainPlacement(input, b));
  });
});

describe('place: metadata', () => {
  function refusal(input: PlacementInput, workers: number): string {
    try {
      place(input, workers);
    } catch (e) {
      expect(isWeftError(e, 'E_USAGE')).toBe(true);
      return (e as Error).message;
    }
    throw new Error('expected place() to throw');
  }

  it('refuses a pin out of range, naming node, pin, worker count and position', () => {
    const input: PlacementInput = {
      nodes: [
        { id: 'A', metadata: {} },
        { id: 'B', metadata: { worker: '4' }, span: { file: 'g.fbp', line: 3, col: 5 } },
      ],
      edges: [],
    };
    expect(refusal(input, 4)).toBe(
      'g.fbp:3:5: node B is pinned to worker 4 (metadata worker=4), but the network runs on 4 workers (workers 0..3)',
    );
    expect(refusal(graph(['A'], [], { A: { worker: 1 } }), 1)).toBe(
      'node A is pinned to worker 1 (metadata worker=1), but the network runs on 1 worker (only worker 0)',
    );
  });

  it('refuses a pin that is not an integer >= 0', () => {
    for (const worker of [-1, 1.5, '1.5', '-1', ' 1', 'one', '', true, null, [1]]) {
      expect(refusal(graph(['A'], [], { A: { worker } }), 4)).toMatch(/^node A: metadata worker must be an integer >= 0, got /);
    }
    const spanned = { nodes: [{ id: 'A', metadata: { worker: 'x' }, span: { line: 2, col: 1, file: 'g.json', path: 'processes.A' } }], edges: [] };
    expect(refusal(spanned, 2)).toBe("g.json:2:1: processes.A: node A: metadata worker must be an integer >= 0, got 'x'");
  });

  it('reads a load from a number or numeric text and refuses one that is not > 0', () => {
    const p = placeChecked(graph(['A', 'B'], [], { A: { load: '2.5' }, B: { load: 0.5 } }), 1);
    expect(p.load).toEqual([3]);
    for (const load of [0, -1, '0', 'heavy', '', ' ', NaN, Infinity, '1e999', false, {}]) {
      expect(refusal(graph(['A'], [], { A: { load } }), 2)).toMatch(/^node A: metadata load must be a number > 0, got /);
    }
  });

  it('refuses a bad worker count, a duplicate node and an edge to an unknown node', () => {
    for (const workers of [0, -1, 1.5, NaN]) expect(refusal(graph(['A'], []), workers)).toMatch(/worker count must be an integer >= 1/);
    expect(refusal(graph(['A', 'A'], []), 2)).toBe('node A appears twice in the graph');
    expect(refusal(graph(['A'], [['A', 'Z']]), 2)).toBe('edge 0 (A -> Z) names unknown node Z');
  });
});

describe('explainPlacement', () => {
  const input: PlacementInput = {
    nodes: [
      { id: 'Read', metadata: {} },
      { id: 'Parse', metadata: { load: 2 } },
      { id: 'Count', metadata: {} },
      { id: 'Write', metadata: {} },
      { id: 'Log', metadata: { worker: '1' } },
    ],
    edges: [
      { from: { node: 'Read', port: 'OUT' }, to: { node: 'Parse', port: 'IN' } },
      { from: { node: 'Parse', port: 'OUT' }, to: { node: 'Count', port: 'IN' } },
      { from: { node: 'Count', port: 'OUT' }, to: { node: 'Write', port: 'IN' } },
      { from: { node: 'Parse', port: 'ERR' }, to: { node: 'Log', port: 'IN', index: 0 } },
      { from: { node: 'Write', port: 'ERR' }, to: { node: 'Log', port: 'IN', index: 1 } },
    ],
  };

  it('prints each worker with its nodes and reasons, the cross edges, and a summary', () => {
    expect(explainPlacement(input, place(input, 2))).toBe(
      [
        'worker 0: load 3, 2 nodes',
        '  Read            with its neighbour Parse',
        '  Parse (load 2)  with its neighbour Read',
        'worker 1: load 3, 3 nodes',
        '  Count           with its neighbour Write',
        '  Write           with its neighbour Count',
        '  Log             pinned (metadata worker=1)',
        'cross-worker edges: 2',
        '  Parse.OUT -> Count.IN  (worker 0 -> 1)',
        '  Parse.ERR -> Log.IN[0]  (worker 0 -> 1)',
        'summary: 2 workers, 5 nodes, 2 cross edges of 5, max/min load 3/3 = 1.00',
      ].join('\n'),
    );
  });

  it('shows empty workers, no cross edges, and node ids when edges have no ports', () => {
    const small = graph(['A', 'B'], [['A', 'B']]);
    expect(explainPlacement(small, place(small, 1))).toBe(
      [
        'worker 0: load 2, 2 nodes',
        '  A  with its neighbour B',
        '  B  with its neighbour A',
        'cross-worker edges: none',
        'summary: 1 worker, 2 nodes, 0 cross edges of 1, max/min load 2/2 = 1.00',
      ].join('\n'),
    );
    const p = place(small, 3);
    const text = explainPlacement(small, p);
    expect(text).toContain(': load 0, no nodes');
    expect(text).toMatch(/ {2}A -> B {2}\(worker \d -> \d\)/);
    expect(text.split('\n').at(-1)).toBe('summary: 3 workers, 2 nodes, 1 cross edge of 1, max/min load 1/0 = inf');
  });
});
