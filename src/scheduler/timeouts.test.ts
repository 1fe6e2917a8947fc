import { describe, expect, it } from 'vitest';
import { defineComponent } from '../component/define.ts';
import { port } from '../component/port.ts';
import { emptyGraph } from '../graph/graph.ts';
import { buildNetwork } from '../network/build.ts';
import { Network } from '../network/network.ts';
import { nullSink } from '../../test/helpers/net.ts';

/** A looper that awaits a timer of `ms` before it ends. */
const Sleeper = (ms: number) =>
  defineComponent({
    inPorts: {},
    outPorts: {},
    async run(_i, _o, ctx) {
      await new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve(undefined);
        });
      });
    },
  });

function net(ms: number, timeout?: number | string) {
  const g = emptyGraph();
  g.nodes.push({ id: 'S', component: 'S', metadata: timeout === undefined ? {} : { timeout } });
  return new Network(buildNetwork(g, () => Sleeper(ms), { stdout: nullSink }));
}

describe('per-box timeout', () => {
  it('a looper awaiting longer than its timeout fails the network with E_TIMEOUT naming it', async () => {
    const t0 = performance.now();
    const r = await net(5000, 100).run();
    expect(r.status).toBe('failed');
    expect(r.failure?.code).toBe('E_TIMEOUT');
    expect(r.failure?.box).toBe('S');
    expect(r.failure?.message).toMatch(/box S \(S\) went \d+ ms without a port operation \(its timeout is 100 ms\)/);
    expect(performance.now() - t0).toBeLessThan(4000);
  });

  it('a looper that ends within its timeout finishes normally (text from .fbp works too)', async () => {
    const r = await net(20, '2000').run();
    expect(r.status).toBe('finished');
  });

  it('a malformed timeout is a usage error naming the node', () => {
    expect(() => net(1, 'soon')).toThrow(/node S: metadata timeout must be a positive number of milliseconds, got "soon"/);
    expect(() => net(1, -5)).toThrow(/metadata timeout/);
  });
});
