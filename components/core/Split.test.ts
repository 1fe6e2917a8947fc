import { describe, it, expect } from 'vitest';
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import Split from './Split.ts';
import Generate from './Generate.ts';
import Take from './Take.ts';
import { makeNetwork } from '../../test/helpers/net.ts';
import { MODES, SINK, close, feed, open, runCollect } from '../../test/helpers/components.ts';

/** A sink keeping the received values themselves (to check object identity). */
function keep(into: unknown[]) {
  return defineComponent({
    inPorts: { in: port.any() },
    outPorts: {},
    process: {
      in(ip) {
        if (ip.kind === 'data') into.push(ip.data);
      },
    },
  });
}

describe.each(MODES)('core/Split ($name)', ({ opts }) => {
  it('sends every IP, brackets too, to every connected element', async () => {
    const items = [open('g'), 1, 'two', { three: [3] }, close('g')];
    const a: unknown[] = [];
    const b: unknown[] = [];
    const { collector } = await import('../../test/helpers/net.ts');
    const net = makeNetwork(
      {
        nodes: { src: feed(items), s: Split, a: collector(a), b: collector(b) },
        // out[1] is left unconnected: it is skipped.
        edges: ['src.out -> s.in', 's.out[0] -> a.in', 's.out[2] -(1)-> b.in'],
      },
      opts,
    );
    const r = await net.run();
    expect(r.status).toBe('finished');
    expect(a).toEqual(items);
    expect(b).toEqual(items);
  });

  it('copies are independent objects; the last element gets the original', async () => {
    const original = { n: 1, list: [1, 2], nested: { x: 'y' } };
    const a: unknown[] = [];
    const b: unknown[] = [];
    const c: unknown[] = [];
    const net = makeNetwork(
      {
        nodes: { src: feed([original]), s: Split, a: keep(a), b: keep(b), c: keep(c) },
        edges: ['src.out -> s.in', 's.out[0] -> a.in', 's.out[1] -> b.in', 's.out[2] -> c.in'],
      },
      opts,
    );
    expect((await net.run()).status).toBe('finished');
    expect(a[0]).toEqual(original);
    expect(b[0]).toEqual(original);
    expect(a[0]).not.toBe(original);
    expect(b[0]).not.toBe(original);
    expect(a[0]).not.toBe(b[0]);
    expect((a[0] as typeof original).list).not.toBe((b[0] as typeof original).list);
    expect(c[0]).toBe(original);
  });

  it('closes IN once every element is closed (Generate → Split → Take stops early)', async () => {
    const { result, got } = await runCollect(
      {
        nodes: { g: Generate, s: Split, t: Take, sink: SINK },
        edges: ['g.out -> s.in', 's.out[0] -> t.in', 't.out -> sink.in'],
        iips: [[10_000_000, 'g.count'], [2, 't.count']],
      },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual([1, 2]);
    expect(result.stats.boxes.find((b) => b.box === 'g')!.ipsOut).toBeLessThan(50);
  });
});
