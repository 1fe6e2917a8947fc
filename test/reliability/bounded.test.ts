/**
 * No unbounded buffer: a fast producer (core/Generate, and core/Repeat behind it) feeding a
 * slow consumer (reliability/SlowPass: an event-loop turn per IP) holds at most each
 * connection's capacity in it, on one thread and across workers (rings), for capacities 1, 4
 * and 10, and into a parallel node (the shared queue holds capacity × replicas). The runs
 * also show that the bound was reached (the producer was faster), so the check means
 * something, and that every IP arrived, in order.
 */
import { describe, expect, it } from 'vitest';
import { G, runCaptured } from '../workers/helpers.ts';

const N = 3000;

describe('no unbounded buffer: a fast producer into a slow consumer', () => {
  for (const workers of [1, 2]) {
    for (const capacity of [1, 4, 10]) {
      it(`${workers} worker${workers === 1 ? '' : 's'}, capacity ${capacity}: every connection's fill stays within its capacity`, async () => {
        const g = new G()
          .node('Gen', 'core/Generate', { worker: 0 })
          .node('Rep', 'core/Repeat', { worker: 0 })
          .node('Slow', 'reliability/SlowPass', { worker: workers - 1 })
          .node('Out', 'core/Output', { worker: workers - 1 })
          .edge('Gen.out', 'Rep.in', capacity)
          .edge('Rep.out', 'Slow.in', capacity)
          .edge('Slow.out', 'Out.in', capacity)
          .iip('Gen.count', N);
        const { result, lines } = await runCaptured(g.graph, { workers });
        expect(result.status, result.failure?.message).toBe('finished');
        expect(lines.length).toBe(N);
        expect(lines.every((l, i) => l === String(i + 1))).toBe(true);
        for (const c of result.stats.connections) expect(c.maxFill, c.edge).toBeLessThanOrEqual(c.capacity);
        const intoSlow = result.stats.connections.find((c) => c.edge.startsWith('Rep.out'))!;
        expect(intoSlow.capacity).toBe(capacity);
        expect(intoSlow.maxFill).toBe(capacity);
      });
    }
  }

  it('into a parallel node on 2 workers: the shared queue holds at most capacity × replicas', async () => {
    const g = new G()
      .node('Gen', 'core/Generate', { worker: 0 })
      .node('Slow', 'reliability/SlowPass', { parallel: 2 })
      .node('Out', 'core/Output', { worker: 1 })
      .edge('Gen.out', 'Slow.in', 3)
      .edge('Slow.out', 'Out.in', 3)
      .iip('Gen.count', N);
    const { result, lines } = await runCaptured(g.graph, { workers: 2 });
    expect(result.status, result.failure?.message).toBe('finished');
    expect([...lines].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: N }, (_, i) => String(i + 1)));
    const queue = result.stats.connections.filter((c) => c.edge.startsWith('Gen.out'));
    expect(queue.length).toBe(2);
    for (const c of result.stats.connections) expect(c.maxFill, c.edge).toBeLessThanOrEqual(c.capacity);
    // 3 × 2 replicas = 6, rounded up to the queue's power of two.
    for (const c of queue) expect(c.capacity).toBe(8);
    expect(Math.max(...queue.map((c) => c.maxFill))).toBeGreaterThan(3);
  });
});
