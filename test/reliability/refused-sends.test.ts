/**
 * A box that ignores `false` from its sends (its receiver closed early) and keeps sending:
 * every refused IP is dropped and counted, nothing queues, and the network ends normally,
 * on one thread and with the receiver on another worker.
 */
import { describe, expect, it } from 'vitest';
import { G, runCaptured } from '../workers/helpers.ts';

const N = 200_000;

describe('sends refused by a closed receiver', () => {
  for (const workers of [1, 2]) {
    it(`${N.toLocaleString('en')} sends after Take 3 closed: dropped and counted, the run ends (${workers} worker${workers === 1 ? '' : 's'})`, async () => {
      const g = new G()
        .node('S', 'reliability/IgnoreRefused', { worker: 0 })
        .node('T', 'core/Take', { worker: workers - 1 })
        .node('O', 'core/Output', { worker: workers - 1 })
        .edge('S.out', 'T.in', 4)
        .edge('T.out', 'O.in')
        .iip('S.n', N)
        .iip('T.count', 3);
      const { result, lines } = await runCaptured(g.graph, { workers });
      expect(result.status, result.failure?.message).toBe('finished');
      expect(lines).toEqual(['1', '2', '3']);
      const s = result.stats.boxes.find((b) => b.box === 'S')!;
      const t = result.stats.boxes.find((b) => b.box === 'T')!;
      const totals = result.stats.totals;
      // S made all N; at most the capacity and T's 3 (+ the one that made it close) went
      // through; every other send was refused at once, and every IP ended dropped (Output
      // drops what it printed): none is left anywhere.
      expect(totals.created).toBeGreaterThanOrEqual(N);
      expect(s.ipsOut).toBeLessThanOrEqual(3 + 4 + 1);
      expect(t.ipsIn).toBeLessThanOrEqual(3 + 4 + 1 + 1);
      expect(totals.dropped).toBe(totals.created);
      for (const c of result.stats.connections) expect(c.maxFill, c.edge).toBeLessThanOrEqual(c.capacity);
    });
  }
});
