import { describe, expect, it } from 'vitest';
import { defineComponent } from '../component/define.ts';
import { port } from '../component/port.ts';
import { Gen, PassLooper, collector, makeNetwork } from '../../test/helpers/net.ts';
import { findCycle, formatDeadlock, type WaitInfo } from './termination.ts';

const w = (box: string, waitsOn: string[]): WaitInfo => ({ box, component: 'x', kind: 'receive', waitsOn });

describe('findCycle', () => {
  it('finds a cycle and closes it', () => {
    expect(findCycle([w('a', ['b']), w('b', ['c']), w('c', ['a'])])).toEqual(['a', 'b', 'c', 'a']);
  });
  it('finds a cycle reachable from a chain', () => {
    expect(findCycle([w('s', ['a']), w('a', ['b']), w('b', ['a'])])).toEqual(['a', 'b', 'a']);
  });
  it('ignores edges to boxes that are not blocked', () => {
    expect(findCycle([w('a', ['done']), w('b', ['a'])])).toEqual([]);
  });
});

describe('deadlock detection', () => {
  it('reports a divergent-convergent deadlock with every blocked box, port, fill and the cycle', async () => {
    // g -> split (2 outputs) -> both into a looper that reads in[0] to the end first.
    const Split2 = defineComponent({
      inPorts: { in: port.any() },
      outPorts: { out: port.any().array() },
      async run({ in: input }, { out }, ctx) {
        for (let ip = await input.receive(); ip !== null; ip = await input.receive()) {
          await out[1].send(ctx.create(ip.data));
          await out[0].send(ip);
        }
      },
    });
    const Concat = defineComponent({
      inPorts: { in: port.any().array() },
      outPorts: { out: port.any() },
      async run({ in: inputs }, { out }) {
        for (const input of inputs) for (let ip = await input.receive(); ip !== null; ip = await input.receive()) await out.send(ip);
      },
    });
    const got: unknown[] = [];
    const r = await makeNetwork({
      nodes: { g: Gen, s: Split2, c: Concat, o: collector(got) },
      edges: ['g.out -> s.in', 's.out[0] -(2)-> c.in[0]', 's.out[1] -(2)-> c.in[1]', 'c.out -> o.in'],
      iips: [[100, 'g.count']],
    }).run();
    expect(r.status).toBe('deadlock');
    expect(r.exitCode).toBe(3);
    const byBox = Object.fromEntries(r.deadlock!.blocked.map((b) => [b.box, b]));
    expect(byBox.s).toMatchObject({ kind: 'send', port: 'out[1]', edge: 's.out[1] -> c.in[1]', fill: 2, capacity: 2, waitsOn: ['c'] });
    expect(byBox.c).toMatchObject({ kind: 'receive', port: 'in[0]', edge: 's.out[0] -> c.in[0]', fill: 0, waitsOn: ['s'] });
    expect(r.deadlock!.cycle).toEqual(['s', 'c', 's']);
    expect(formatDeadlock(r.deadlock!)).toMatch(/s \(s\): sending to out\[1\] on s\.out\[1\] -> c\.in\[1\] \(2\/2 IPs, full\)/);
  });

  it('reports a cycle of loopers that each wait to receive first', async () => {
    const r = await makeNetwork({ nodes: { a: PassLooper, b: PassLooper }, edges: ['a.out -> b.in', 'b.out -> a.in'] }).run();
    // Neither has data and neither sender can close: both wait for input forever.
    expect(r.status).toBe('deadlock');
    expect(r.deadlock!.cycle.length).toBe(3);
  });

  it('a network with enough buffer in a cycle is not a deadlock', async () => {
    // g feeds a, a's output goes back through a fan-in; capacity is enough for 5 IPs.
    const Once = defineComponent({
      inPorts: { in: port.number() },
      outPorts: { out: port.number() },
      async run({ in: input }, { out }) {
        for (let ip = await input.receive(); ip !== null; ip = await input.receive()) await out.send(ip);
      },
    });
    const got: unknown[] = [];
    const r = await makeNetwork({ nodes: { g: Gen, a: Once, c: collector(got) }, edges: ['g.out -> a.in', 'a.out -> c.in'], iips: [[5, 'g.count']] }).run();
    expect(r.status).toBe('finished');
  });
});
