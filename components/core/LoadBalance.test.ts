import { describe, it, expect } from 'vitest';
import LoadBalance from './LoadBalance.ts';
import Delay from './Delay.ts';
import Generate from './Generate.ts';
import { collector, makeNetwork } from '../../test/helpers/net.ts';
import { MODES, balanced, close, feed, open } from '../../test/helpers/components.ts';

/** Split a recorded stream into its top-level units (a data IP or a whole substream). */
function units(items: unknown[]): string[] {
  const out: string[] = [];
  let cur: unknown[] = [];
  let depth = 0;
  for (const it of items) {
    cur.push(it);
    if (typeof it === 'string' && it.startsWith('open:')) depth++;
    else if (typeof it === 'string' && it.startsWith('close:')) depth--;
    if (depth === 0) {
      out.push(JSON.stringify(cur));
      cur = [];
    }
  }
  return out;
}

describe.each(MODES)('core/LoadBalance ($name)', ({ opts }) => {
  it('keeps each bracketed substream on one element', async () => {
    const items = [open('a'), 1, 2, 3, close('a'), open('b'), 4, open('c'), 5, close('c'), 6, close('b'), 7, 8, open('d'), close('d'), open('e'), 9, close('e')];
    const outs: unknown[][] = [[], [], []];
    const net = makeNetwork(
      {
        nodes: { src: feed(items), lb: LoadBalance, c0: collector(outs[0]), c1: collector(outs[1]), c2: collector(outs[2]) },
        edges: ['src.out -> lb.in', 'lb.out[0] -> c0.in', 'lb.out[1] -> c1.in', 'lb.out[2] -> c2.in'],
      },
      opts,
    );
    expect((await net.run()).status).toBe('finished');
    for (const o of outs) expect(balanced(o)).toBe(true);
    const all = outs.flatMap(units).sort();
    expect(all).toEqual(units(items).sort());
  });

  it('balances: a slow element gets less', async () => {
    // Balancing by queue length needs room to queue: with capacity 1 both queues are full
    // most of the time and the tie rule (lowest index) decides. Give the two edges 5.
    const fast: unknown[] = [];
    const slow: unknown[] = [];
    const net = makeNetwork(
      {
        nodes: { g: Generate, lb: LoadBalance, d: Delay, s: collector(slow), f: collector(fast) },
        edges: ['g.out -> lb.in', 'lb.out[0] -(5)-> d.in', 'd.out -> s.in', 'lb.out[1] -(5)-> f.in'],
        iips: [[60, 'g.count'], [3, 'd.ms']],
      },
      opts,
    );
    expect((await net.run()).status).toBe('finished');
    expect(slow.length + fast.length).toBe(60);
    expect([...slow, ...fast].sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(slow.length).toBeGreaterThan(0);
    expect(fast.length).toBeGreaterThan(slow.length * 2);
  });

  it('spreads over equally slow elements, skipping unconnected ones', async () => {
    // Equal consumers that keep up would leave every queue empty, and the tie rule sends
    // everything to the lowest index: that is by design. Equally slow ones share the work.
    const a: unknown[] = [];
    const b: unknown[] = [];
    const net = makeNetwork(
      {
        nodes: { g: Generate, lb: LoadBalance, da: Delay, db: Delay, a: collector(a), b: collector(b) },
        edges: ['g.out -> lb.in', 'lb.out[0] -(3)-> da.in', 'lb.out[2] -(3)-> db.in', 'da.out -> a.in', 'db.out -> b.in'],
        iips: [[100, 'g.count'], [1, 'da.ms'], [1, 'db.ms']],
      },
      opts,
    );
    expect((await net.run()).status).toBe('finished');
    expect(a.length + b.length).toBe(100);
    expect(a.length).toBeGreaterThanOrEqual(25);
    expect(b.length).toBeGreaterThanOrEqual(25);
  });

  it('sends everything to the lowest index while every queue is empty', async () => {
    const a: unknown[] = [];
    const b: unknown[] = [];
    const net = makeNetwork(
      {
        nodes: { src: feed([1, 2, 3]), lb: LoadBalance, a: collector(a), b: collector(b) },
        edges: ['src.out -> lb.in', 'lb.out[0] -> a.in', 'lb.out[1] -> b.in'],
      },
      { ...opts, budget: 1 },
    );
    expect((await net.run()).status).toBe('finished');
    expect([...a, ...b].sort()).toEqual([1, 2, 3]);
    expect(a[0]).toBe(1);
  });
});
