/**
 * The big conservation run, in its own file so that each file stays well under 20 s: a chain
 * Source → PassLooper → PassNL → Output with every box on its own worker (4 workers, 3 rings)
 * and capacity 1 on every edge, moving 50,000 IPs. Every q must arrive once, in order; every
 * connection carried all of them and never held more than its capacity.
 *
 * (On the 2-core CI machine this takes about 8 to 9 s: at capacity 1 every IP is a cross-thread
 * wake-up on each ring.)
 *
 * And the same with large capacities (64, 100, 256), where ring ends publish their counters in
 * batches (connection/shared-ring.ts), plus a fan-in of two sources on two workers: nothing
 * may stay unpublished when a worker sleeps, and the end of stream must follow the last IP.
 */
import { describe, expect, it } from 'vitest';
import { formatDeadlock } from '../../src/index.ts';
import { G, runCaptured } from './helpers.ts';
import { addSource, checkLines, emptyExpected, type Expected } from './random-check.ts';

/** What plain sources s (n IPs each) printed by core/Output must give. */
function plain(...sources: [number, number][]): Expected {
  const exp = emptyExpected();
  for (const [s, n] of sources) {
    addSource(exp, s, 0, null, n).root.tree = { t: 'print', group: 'O', p: '' };
  }
  return exp;
}

const N = 50_000;

describe('conservation: a long chain across 4 workers at capacity 1', () => {
  it(`moves ${N.toLocaleString('en')} IPs, each once and in order`, { timeout: 60_000 }, async () => {
    const g = new G()
      .node('S', 'stress/Source', { worker: 0 })
      .node('A', 'stress/PassLooper', { worker: 1 })
      .node('B', 'stress/PassNL', { worker: 2 })
      .node('O', 'core/Output', { worker: 3 })
      .edge('S.out', 'A.in', 1)
      .edge('A.out', 'B.in', 1)
      .edge('B.out', 'O.in', 1)
      .iip('S.s', 7)
      .iip('S.n', N);
    const { result, lines } = await runCaptured(g.graph, { workers: 4 });
    const why = result.deadlock ? formatDeadlock(result.deadlock) : (result.failure?.message ?? '');
    expect(result.status, why).toBe('finished');
    expect(result.exitCode).toBe(0);
    expect(lines.length).toBe(N);
    expect(checkLines(lines, plain([7, N]))).toEqual([]);

    // Statistics merged from the 4 workers.
    expect(result.stats.boxes.map((b) => [b.box, b.state])).toEqual([
      ['S', 'done'],
      ['A', 'done'],
      ['B', 'done'],
      ['O', 'done'],
    ]);
    const byBox = Object.fromEntries(result.stats.boxes.map((b) => [b.box, b]));
    expect(byBox.S.ipsOut).toBe(N);
    expect(byBox.A.ipsIn).toBe(N);
    expect(byBox.A.ipsOut).toBe(N);
    expect(byBox.B.ipsIn).toBe(N);
    expect(byBox.B.ipsOut).toBe(N);
    expect(byBox.O.ipsIn).toBe(N);
    const conns = [...result.stats.connections].sort((a, b) => a.edge.localeCompare(b.edge));
    expect(conns.map((c) => c.edge)).toEqual(['A.out -> B.in', 'B.out -> O.in', 'S.out -> A.in']);
    for (const c of conns) {
      expect(c.carried, c.edge).toBe(N);
      expect(c.capacity, c.edge).toBe(1);
      expect(c.fill, c.edge).toBe(0);
      expect(c.maxFill, `${c.edge}: maxFill ${c.maxFill} > capacity 1`).toBeLessThanOrEqual(1);
      expect(c.maxFill, c.edge).toBeGreaterThanOrEqual(0);
    }
  });

  it('large capacities (batched publication) and a fan-in across workers: 300,000 IPs, each once and in order', { timeout: 60_000 }, async () => {
    const n = 150_000;
    const g = new G()
      .node('S', 'stress/Source', { worker: 0 })
      .node('T', 'stress/Source', { worker: 1 })
      .node('A', 'stress/PassLooper', { worker: 1 })
      .node('B', 'stress/PassNL', { worker: 0 })
      .node('O', 'core/Output', { worker: 1 })
      .edge('S.out', 'A.in', 64)
      .edge('T.out', 'A.in', 64)
      .edge('A.out', 'B.in', 100)
      .edge('B.out', 'O.in', 256)
      .iip('S.s', 1)
      .iip('S.n', n)
      .iip('T.s', 2)
      .iip('T.n', n);
    const { result, lines } = await runCaptured(g.graph, { workers: 2 });
    const why = result.deadlock ? formatDeadlock(result.deadlock) : (result.failure?.message ?? '');
    expect(result.status, why).toBe('finished');
    expect(lines.length).toBe(2 * n);
    expect(checkLines(lines, plain([1, n], [2, n]))).toEqual([]);
    for (const c of result.stats.connections) expect(c.maxFill, c.edge).toBeLessThanOrEqual(c.capacity);
  });
});
