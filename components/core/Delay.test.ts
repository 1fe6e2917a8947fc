import { describe, it, expect } from 'vitest';
import Delay from './Delay.ts';
import Generate from './Generate.ts';
import { makeNetwork } from '../../test/helpers/net.ts';
import { MODES, SINK, close, open, pipe, runCollect } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Delay ($name)', ({ opts }) => {
  it('forwards every IP, in order, MS after it arrived; never a deadlock', async () => {
    const items = [open(), 1, 2, 3, close(), 4];
    const t0 = performance.now();
    const { result, got } = await pipe(Delay, items, opts, [[5, 'ms']]);
    expect(result.status).toBe('finished');
    expect(result.deadlock).toBeUndefined();
    expect(got).toEqual(items);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(6 * 5 - 2);
  });

  it('a chain of Delays finishes', async () => {
    const { result, got } = await runCollect(
      {
        nodes: { g: Generate, d1: Delay, d2: Delay, sink: SINK },
        edges: ['g.out -> d1.in', 'd1.out -> d2.in', 'd2.out -> sink.in'],
        iips: [[10, 'g.count'], [2, 'd1.ms'], [1, 'd2.ms']],
      },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('MS 0 forwards at once', async () => {
    const { got } = await pipe(Delay, [1, 2], opts, [[0, 'ms']]);
    expect(got).toEqual([1, 2]);
  });
});

describe('core/Delay', () => {
  it('the wait ends when the network stops', async () => {
    const net = makeNetwork({ nodes: { g: Generate, d: Delay, sink: SINK }, edges: ['g.out -> d.in', 'd.out -> sink.in'], iips: [[5, 'g.count'], [60_000, 'd.ms']] });
    const t0 = performance.now();
    const done = net.run();
    await new Promise((r) => setTimeout(r, 20));
    net.stop('test');
    const r = await done;
    expect(r.status).toBe('interrupted');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a bad MS fails the box', async () => {
    const { result } = await pipe(Delay, [1], {}, [[-5, 'ms']]);
    expect(result.status).toBe('failed');
    expect(result.failure!.message).toMatch(/Delay: MS must be a finite number >= 0/);
  });
});
