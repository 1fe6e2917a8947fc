/**
 * The live status line of `weft run` on a terminal reads `activity()` four times a second. On
 * several workers the boxes run elsewhere: activity() must report what the workers are doing
 * while the network runs (it asks them), not only what they said at the last quiescence.
 */
import { describe, expect, it } from 'vitest';
import { createCaptured, G } from './helpers.ts';
import { until } from '../e2e/weft.ts';

describe('activity() on two workers', () => {
  it('reports the IPs sent so far while the network runs', async () => {
    const g = new G()
      .node('g', 'core/Generate', { worker: 0 })
      .node('r', 'core/Repeat', { worker: 1 })
      .node('d', 'core/Drop', { worker: 1 })
      .edge('g.out', 'r.in')
      .edge('r.out', 'd.in')
      .iip('g.count', 1_000_000_000).graph;
    const { net } = await createCaptured(g, { workers: 2 });
    const done = net.run();
    let a = net.activity();
    try {
      let first = 0;
      await until(() => (first = net.activity().sends) > 0, 10_000, 'sends to be reported');
      await until(() => net.activity().sends > first, 10_000, 'more sends to be reported');
      a = net.activity();
      expect(a.active + a.blocked).toBe(3);
    } finally {
      net.stop(); // a billion IPs: never left running
    }
    const r = await done;
    expect(r.status).toBe('interrupted');
    expect(r.stats.totals.sent).toBeGreaterThanOrEqual(a.sends);
  });
});
