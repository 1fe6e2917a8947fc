// Failures inside boxes: misused port operations, async handlers, throws and rejections. Each
// ends the network with a clear error naming the box; the other boxes stop.
import { describe, expect, it } from 'vitest';
import { defineComponent } from '../component/define.ts';
import { port } from '../component/port.ts';
import { Gen, PassLooper, collector, makeNetwork } from '../../test/helpers/net.ts';

describe('failures', () => {
  it('a looper that returns while an operation it started still waits fails clearly', async () => {
    const Hasty = defineComponent({
      inPorts: {},
      outPorts: { out: port.number() },
      async run(_i, { out }) {
        out.emit(1);
        void out.emit(2); // capacity 1: this one must wait, and nobody awaits it
      },
    });
    const Slow = defineComponent({
      inPorts: { in: port.number() },
      outPorts: {},
      async run({ in: input }, _o, ctx) {
        await new Promise((r) => setTimeout(r, 5));
        for (let ip = await input.receive(); ip !== null; ip = await input.receive()) ctx.drop(ip);
      },
    });
    const r = await makeNetwork({ nodes: { h: Hasty, s: Slow }, edges: ['h.out -(1)-> s.in'] }).run();
    expect(r.status).toBe('failed');
    expect(r.failure?.box).toBe('h');
    expect(r.failure?.message).toMatch(/returned while a port operation it started was still waiting/);
  });

  it('an async process handler is refused with a clear error', async () => {
    const AsyncNL = defineComponent({
      inPorts: { in: port.number() },
      outPorts: { out: port.number() },
      process: {
        // TypeScript accepts this (a Promise-returning function fits a void one): the runtime refuses it.
        async in(ip, { out }) {
          await null;
          out.send(ip);
        },
      },
    });
    const r = await makeNetwork({ nodes: { g: Gen, a: AsyncNL, c: collector([]) }, edges: ['g.out -> a.in', 'a.out -> c.in'], iips: [[3, 'g.count']] }).run();
    expect(r.status).toBe('failed');
    expect(r.failure?.message).toMatch(/must be synchronous/);
  });

  it('a looper that never awaits its port operations fails instead of spinning', async () => {
    const Careless = defineComponent({
      inPorts: {},
      outPorts: { out: port.number() },
      async run(_i, { out }) {
        for (let i = 0; i < 1e7; i++) void out.emit(i); // ignores both false and the Promise
      },
    });
    const got: unknown[] = [];
    const r = await makeNetwork({ nodes: { c: Careless, s: collector(got) }, edges: ['c.out -(2)-> s.in'] }).run();
    expect(r.status).toBe('failed');
    expect(r.failure?.box).toBe('c');
    expect(r.failure?.message).toMatch(/before the previous one completed/);
  });

  it('a non-looper that throws fails the network with box, component and stack', async () => {
    const Bad = defineComponent({
      inPorts: { in: port.number() },
      outPorts: {},
      process: {
        in(ip) {
          if (ip.kind === 'data' && ip.data === 3) throw new Error('three is bad');
        },
      },
    });
    const r = await makeNetwork({ nodes: { g: Gen, bad: Bad }, edges: ['g.out -> bad.in'], iips: [[10, 'g.count']] }).run();
    expect(r.status).toBe('failed');
    expect(r.exitCode).toBe(1);
    expect(r.failure).toMatchObject({ box: 'bad', component: 'bad', message: 'three is bad' });
    expect(r.failure?.stack).toContain('three is bad');
  });

  it('a looper that rejects mid-stream fails the network and stops the others', async () => {
    let sourceStopped = false;
    const Src = defineComponent({
      inPorts: {},
      outPorts: { out: port.number() },
      async run(_i, { out }) {
        try {
          for (let i = 0; ; i++) await out.emit(i);
        } finally {
          sourceStopped = true;
        }
      },
    });
    const Bad = defineComponent({
      inPorts: { in: port.number() },
      outPorts: {},
      async run({ in: input }, _o, ctx) {
        for (let ip = await input.receive(); ip !== null; ip = await input.receive()) {
          if (ip.kind === 'data' && ip.data === 50) throw new Error('async boom');
          ctx.drop(ip);
        }
      },
    });
    const r = await makeNetwork({ nodes: { s: Src, bad: Bad }, edges: ['s.out -(2)-> bad.in'] }).run();
    expect(r.status).toBe('failed');
    expect(r.failure?.box).toBe('bad');
    expect(r.failure?.message).toBe('async boom');
    expect(sourceStopped).toBe(true);
  });
});
