import { it, expect } from 'vitest';
import { makeNetwork, Gen, collector, PassNL, PassLooper } from '../../test/helpers/net.ts';
it('smoke', async () => {
  const got: unknown[] = [];
  const net = makeNetwork({ nodes: { g: Gen, a: PassNL, b: PassLooper, c: collector(got) }, edges: ['g.out -> a.in', 'a.out -> b.in', 'b.out -> c.in'], iips: [[1000, 'g.count']] });
  const r = await net.run();
  expect(r.status).toBe('finished');
  expect(got.length).toBe(1000);
  expect(got[999]).toBe(1000);
  console.log(JSON.stringify(r.stats.totals), r.stats.connections);
});
