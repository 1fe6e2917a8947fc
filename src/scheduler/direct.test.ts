/**
 * Direct delivery (direct.ts): a send into an empty connection whose non-looper receiver waits
 * for input runs the receiver at once. These tests build the cases where running a receiver on
 * its sender's stack could go wrong: cycles back into a running box, a receiver that fails,
 * closes or fills its own output, chains deeper than DIRECT_DEPTH, and the statistics.
 */
import { describe, expect, it } from 'vitest';
import { defineComponent } from '../component/define.ts';
import { port } from '../component/port.ts';
import { Gen, PassLooper, PassNL, collector, makeNetwork } from '../../test/helpers/net.ts';
import { BLOCKED, W_INPUT } from './box.ts';
import { DIRECT_DEPTH } from './direct.ts';
import type { IP } from '../ip/ip.ts';

function chainSpec(boxes: number, n: number, got: unknown[], cap?: number) {
  const nodes: Record<string, any> = { g: Gen, c: collector(got) };
  const edges: string[] = [];
  const arrow = cap === undefined ? '->' : `-(${cap})->`;
  let prev = 'g';
  for (let i = 0; i < boxes; i++) {
    nodes[`p${i}`] = PassNL;
    edges.push(`${prev}.out ${arrow} p${i}.in`);
    prev = `p${i}`;
  }
  edges.push(`${prev}.out ${arrow} c.in`);
  return { nodes, edges, iips: [[n, 'g.count']] as [unknown, string][] };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('direct delivery', () => {
  it('moves IPs through a chain of non-loopers, one activation per IP, counted on every connection', async () => {
    const got: unknown[] = [];
    const r = await makeNetwork(chainSpec(5, 1000, got)).run();
    expect(r.status).toBe('finished');
    expect(got).toEqual(range(1000));
    for (const c of r.stats.connections) {
      expect(c.carried).toBe(1000);
      expect(c.maxFill).toBeGreaterThanOrEqual(1);
      expect(c.fill).toBe(0);
    }
    // Queued delivery would take about one activation per `capacity` IPs.
    const p2 = r.stats.boxes.find((b) => b.box === 'p2')!;
    expect(p2.activations).toBeGreaterThan(900);
    for (const b of r.stats.boxes.filter((x) => x.box.startsWith('p'))) expect([b.ipsIn, b.ipsOut]).toEqual([1000, 1000]);
    // Sent: g, p0..p4 each 1000; received: the same plus the count IIP.
    expect(r.stats.totals).toEqual({ created: 1001, sent: 6000, received: 6001, dropped: 1001 });
  });

  for (const checked of [true, false]) {
    for (const cap of [1, 2, 4]) {
      it(`keeps order through a chain longer than DIRECT_DEPTH (capacity ${cap}, ${checked ? 'checked' : 'unchecked'})`, async () => {
        const got: unknown[] = [];
        const r = await makeNetwork(chainSpec(DIRECT_DEPTH * 3 + 1, 500, got, cap), { checked }).run();
        expect(r.status).toBe('finished');
        expect(got).toEqual(range(500));
      });
    }
  }

  it('does not overflow the stack on a chain of 5,000 boxes', async () => {
    const got: unknown[] = [];
    const r = await makeNetwork(chainSpec(5000, 50, got)).run();
    expect(r.status).toBe('finished');
    expect(got).toEqual(range(50));
  });

  it('is off with timing statistics: every hop is queued', async () => {
    const got: unknown[] = [];
    const r = await makeNetwork(chainSpec(3, 1000, got), { timing: true }).run();
    expect(got).toEqual(range(1000));
    const p1 = r.stats.boxes.find((b) => b.box === 'p1')!;
    expect(p1.activations).toBeLessThan(500);
  });

  it('a box that sends into its own input (through itself) is queued, not re-entered', async () => {
    // S gets 1..N from g; for x > 1 it sends x - 1 back into its own in-port (fan-in). It
    // closes that loop once it has seen every number it will ever get.
    const n = 30;
    const total = (n * (n + 1)) / 2;
    const seen: number[] = [];
    let depth = 0;
    let maxDepth = 0;
    const S = defineComponent({
      inPorts: { in: port.number() },
      outPorts: { back: port.number() },
      process: {
        in(ip, { back }, ctx) {
          depth++;
          maxDepth = Math.max(maxDepth, depth);
          const x = ip.data as number;
          seen.push(x);
          ctx.drop(ip);
          if (x > 1) back.emit(x - 1);
          if (seen.length === total) back.close();
          depth--;
        },
      },
    });
    const r = await makeNetwork({ nodes: { g: Gen, s: S }, edges: ['g.out -> s.in', 's.back -> s.in'], iips: [[n, 'g.count']] }).run();
    expect(r.status).toBe('finished');
    expect(maxDepth).toBe(1);
    expect(seen.length).toBe(total);
    const counts = new Map<number, number>();
    for (const x of seen) counts.set(x, (counts.get(x) ?? 0) + 1);
    for (let x = 1; x <= n; x++) expect(counts.get(x)).toBe(n - x + 1);
  });

  it('a cycle through another box back into a running box wakes it for the IP that came back', async () => {
    // g.out -> l.in; l.out -> r.in; r.out -> l.back, where g waits a macrotask between sends.
    // Once l and r have run, g's sends go straight into l, l's into r, and r's send finds l
    // running: that IP is queued, and l must be READY for it once its own call returns.
    // Stepped one activation at a time (with a macrotask turn for g's body); after every step
    // no box waits for input while one of its inputs holds an IP. Fewer IPs than the
    // capacity, so the loop cannot fill up (with more, both connections of the loop can be
    // full with l and r each waiting to send: a true deadlock, which some schedules reach).
    const n = 8;
    let back = 0;
    const L = defineComponent({
      inPorts: { in: port.number(), back: port.number() },
      outPorts: { out: port.number() },
      process: {
        in(ip, { out }) {
          out.send(ip);
        },
        back(ip, { out }, ctx) {
          ctx.drop(ip);
          if (++back === n) out.close();
        },
      },
    });
    const SlowGen = defineComponent({
      inPorts: {},
      outPorts: { out: port.number() },
      async run(_in, { out }) {
        for (let i = 1; i <= n; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          let ok = out.emit(i);
          if (ok instanceof Promise) ok = await ok;
        }
      },
    });
    const net = makeNetwork({ nodes: { g: SlowGen, l: L, r: PassNL }, edges: ['g.out -> l.in', 'l.out -> r.in', 'r.out -> l.back'] });
    const sched = (net as any).built.sched;
    sched.start();
    for (let steps = 0; steps < 200 && sched.live > 0; steps++) {
      sched.runSlice(1);
      await new Promise((resolve) => setImmediate(resolve));
      for (const b of sched.boxes) {
        if (b.status !== BLOCKED || b.waitKind !== W_INPUT) continue;
        for (const p of b.ins) if (p.conn !== null && !p.closedByBox) expect(`${b.label}.${p.name} holds ${p.conn.size}`).toBe(`${b.label}.${p.name} holds 0`);
      }
    }
    expect(back).toBe(n);
    expect(sched.live).toBe(0);
  });

  it('a failing receiver fails the network under its own name, not its sender’s', async () => {
    const Boom = defineComponent({
      inPorts: { in: port.number() },
      outPorts: {},
      process: {
        in(ip, _out, ctx) {
          const x = ip.data;
          ctx.drop(ip);
          if (x === 7) throw new Error('seven');
        },
      },
    });
    const r = await makeNetwork({ nodes: { g: Gen, p: PassNL, b: Boom }, edges: ['g.out -> p.in', 'p.out -> b.in'], iips: [[100, 'g.count']] }).run();
    expect(r.status).toBe('failed');
    expect(r.failure?.box).toBe('b');
    expect(r.failure?.message).toContain('seven');
  });

  it('a receiver that leaks fails with E_LEAK naming it', async () => {
    const Leak = defineComponent({
      inPorts: { in: port.number() },
      outPorts: {},
      process: {
        in(ip, _out, ctx) {
          ctx.drop(ip);
          ctx.create(1);
        },
      },
    });
    const r = await makeNetwork({ nodes: { g: Gen, p: PassNL, k: Leak }, edges: ['g.out -> p.in', 'p.out -> k.in'], iips: [[5, 'g.count']] }).run();
    expect(r.status).toBe('failed');
    expect(r.failure?.box).toBe('k');
    expect(r.failure?.code).toBe('E_LEAK');
  });

  it('a receiver whose only output closes terminates, and its sender stops', async () => {
    // g -> p -> t, where the looper t takes 3 and closes its input: p's next send is refused,
    // p has no open output left and terminates inside the delivery; g's next send is refused.
    const got: unknown[] = [];
    const T = defineComponent({
      inPorts: { in: port.number() },
      outPorts: { out: port.number() },
      async run({ in: input }, { out }) {
        for (let i = 0; i < 3; i++) {
          let ip = input.receive();
          if (ip instanceof Promise) ip = await ip;
          if (ip === null) return;
          const s = out.send(ip);
          if (s instanceof Promise) await s;
        }
        input.close();
      },
    });
    const r = await makeNetwork({ nodes: { g: Gen, p: PassNL, t: T, c: collector(got) }, edges: ['g.out -> p.in', 'p.out -> t.in', 't.out -> c.in'], iips: [[1e7, 'g.count']] }).run();
    expect(r.status).toBe('finished');
    expect(got).toEqual([1, 2, 3]);
    expect(r.stats.totals.created).toBeLessThan(100);
  });

  it('a receiver whose send meets a full connection blocks on it and loses nothing', async () => {
    // p gets IPs directly and emits 5 per input into a capacity-1 connection to a looper.
    const Fan = defineComponent({
      inPorts: { in: port.number() },
      outPorts: { out: port.number() },
      process: {
        in(ip, { out }, ctx) {
          const x = ip.data as number;
          ctx.drop(ip);
          for (let k = 0; k < 5; k++) out.emit(x * 10 + k);
        },
      },
    });
    const got: unknown[] = [];
    const r = await makeNetwork({
      nodes: { g: Gen, p: Fan, l: PassLooper, q: PassNL, c: collector(got) },
      edges: ['g.out -> p.in', 'p.out -(1)-> l.in', 'l.out -(1)-> q.in', 'q.out -> c.in'],
      iips: [[200, 'g.count']],
    }).run();
    expect(r.status).toBe('finished');
    const want: number[] = [];
    for (let x = 1; x <= 200; x++) for (let k = 0; k < 5; k++) want.push(x * 10 + k);
    expect(got).toEqual(want);
  });

  describe('ownership checks on the direct path (the receiver gets the sender\'s own packet)', () => {
    /**
     * g -> a -> b -> c, 100 IPs. a sends each IP on, then calls `after`; `direct`: b ran
     * inside that send (from b's first activation on, it waits for input: a's sends go direct).
     */
    function senderNet(after: (ip: IP<number>, state: { kept: IP<number> | null }, direct: boolean) => void) {
      const during: boolean[] = [];
      let inB = false;
      const A = defineComponent({
        inPorts: { in: port.number() },
        outPorts: { out: port.number() },
        state: () => ({ kept: null as IP<number> | null }),
        process: {
          in(ip, { out }, ctx) {
            inB = false;
            out.send(ip);
            during.push(inB);
            after(ip, ctx.state, inB);
          },
        },
      });
      const B = defineComponent({
        inPorts: { in: port.number() },
        outPorts: { out: port.number() },
        process: {
          in(ip, { out }) {
            inB = true;
            out.send(ip);
          },
        },
      });
      const got: unknown[] = [];
      const net = makeNetwork({ nodes: { g: Gen, a: A, b: B, c: collector(got) }, edges: ['g.out -> a.in', 'a.out -> b.in', 'b.out -> c.in'], iips: [[100, 'g.count']] });
      return { net, during, got };
    }

    it('reading an IP right after sending it is E_OWNERSHIP naming the sender', async () => {
      const { net, during } = senderNet((ip, _s, direct) => {
        if (direct) void ip.data;
      });
      const r = await net.run();
      expect(during.at(-1)).toBe(true); // the failing one: b ran inside a's send
      expect(r.status).toBe('failed');
      expect(r.failure?.box).toBe('a');
      expect(r.failure?.message).toMatch(/an IP was used after it was sent \(last owner: a\)/);
    });

    it('an IP kept after sending it is dead in the next call, though the receivers passed it on and dropped it', async () => {
      const { net, during, got } = senderNet((ip, state, direct) => {
        if (state.kept !== null) void state.kept.data;
        if (direct) state.kept = ip;
      });
      const r = await net.run();
      expect(during.at(-2)).toBe(true); // the kept one went directly to b, and b sent it to c
      expect(got.at(-1)).toBe(during.length);
      expect(r.failure?.box).toBe('a');
      expect(r.failure?.message).toMatch(/an IP was used after it was sent \(last owner: a\)/);
    });

    it('a receiver that keeps a directly received IP past its call is caught in its next call', async () => {
      let direct = 0;
      let inA = false;
      const A = defineComponent({
        inPorts: { in: port.number() },
        outPorts: { out: port.number() },
        process: {
          in(ip, { out }) {
            inA = true;
            out.send(ip);
            inA = false;
          },
        },
      });
      const Keeper = defineComponent({
        inPorts: { in: port.number() },
        outPorts: {},
        state: () => ({ kept: null as IP<number> | null }),
        process: {
          in(ip, _o, ctx) {
            if (ctx.state.kept !== null) void ctx.state.kept.data;
            if (inA) {
              direct++;
              ctx.state.kept = ip; // neither sent nor dropped: dropped when the call ends
            }
          },
        },
      });
      const r = await makeNetwork({ nodes: { g: Gen, a: A, k: Keeper }, edges: ['g.out -> a.in', 'a.out -> k.in'], iips: [[100, 'g.count']] }).run();
      expect(direct).toBe(1);
      expect(r.failure?.box).toBe('k');
      expect(r.failure?.code).toBe('E_OWNERSHIP');
      // The sender's marking is what the IP shows last: it reads as sent by a.
      expect(r.failure?.message).toMatch(/an IP was used after it was sent \(last owner: a\)/);
    });

    it('sending it again is caught as already sent', async () => {
      const A2 = defineComponent({
        inPorts: { in: port.number() },
        outPorts: { out: port.number() },
        process: {
          in(ip, { out }) {
            const x = ip.data as number;
            out.send(ip);
            if (x === 50) out.send(ip);
          },
        },
      });
      const r = await makeNetwork({ nodes: { g: Gen, a: A2, b: PassNL, c: collector([]) }, edges: ['g.out -> a.in', 'a.out -> b.in', 'b.out -> c.in'], iips: [[100, 'g.count']] }).run();
      expect(r.failure?.code).toBe('E_OWNERSHIP');
      expect(r.failure?.message).toMatch(/box a tried to send an IP it does not own: it was already sent/);
      const p = r.stats.boxes.find((b) => b.box === 'b')!;
      expect(p.activations).toBeGreaterThan(30); // most hops a -> b went direct, number 50 too
    });

    it('a looper source: an IP it created and sent directly is dead when send returns', async () => {
      let ranDuring = false;
      let inB = false;
      const Src = defineComponent({
        inPorts: {},
        outPorts: { out: port.number() },
        async run(_i, { out }, ctx) {
          // The first IP is queued (b has not started); once b waits for input, sends go direct.
          const first = out.emit(6);
          if (first instanceof Promise) await first;
          await new Promise((r) => setTimeout(r, 1));
          const ip = ctx.create(7);
          const s = out.send(ip);
          ranDuring = !(s instanceof Promise) && inB;
          void ip.data;
        },
      });
      const B = defineComponent({
        inPorts: { in: port.number() },
        outPorts: {},
        process: {
          in() {
            inB = true;
          },
        },
      });
      const r = await makeNetwork({ nodes: { s: Src, b: B }, edges: ['s.out -> b.in'] }).run();
      expect(ranDuring).toBe(true);
      expect(r.failure?.box).toBe('s');
      expect(r.failure?.message).toMatch(/an IP was used after it was sent \(last owner: s\)/);
    });
  });
});
