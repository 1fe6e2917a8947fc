import { describe, expect, it } from 'vitest';
import { defineComponent } from '../component/define.ts';
import { port } from '../component/port.ts';
import { Gen, collector, makeNetwork } from '../../test/helpers/net.ts';
import type { IP } from './ip.ts';

function runWith(body: (ip: IP<number>, send: (ip: IP<number>) => unknown, drop: (ip: IP<number>) => void) => Promise<void> | void, checked = true) {
  const Box = defineComponent({
    inPorts: { in: port.number() },
    outPorts: { out: port.number() },
    async run({ in: input }, { out }, ctx) {
      const ip = await input.receive();
      if (ip === null) return;
      await body(ip as IP<number>, (x) => out.send(x), (x) => ctx.drop(x));
    },
  });
  const got: unknown[] = [];
  return makeNetwork({ nodes: { g: Gen, b: Box, c: collector(got) }, edges: ['g.out -> b.in', 'b.out -> c.in'], iips: [[1, 'g.count']] }, { checked }).run();
}

describe('ownership (checked mode)', () => {
  it('touching an IP after sending it is an error naming the box', async () => {
    const r = await runWith(async (ip, send) => {
      await send(ip);
      void (ip as { data: number }).data;
    });
    expect(r.status).toBe('failed');
    expect(r.failure?.code).toBe('E_OWNERSHIP');
    expect(r.failure?.message).toMatch(/after it was sent/);
    expect(r.failure?.box).toBe('b');
  });

  it('sending an IP twice is an error', async () => {
    const r = await runWith(async (ip, send) => {
      await send(ip);
      await send(ip);
    });
    expect(r.failure?.code).toBe('E_OWNERSHIP');
    expect(r.failure?.message).toMatch(/box b tried to send an IP it does not own: it was already sent/);
  });

  it('dropping an IP twice is an error', async () => {
    const r = await runWith((ip, _send, drop) => {
      drop(ip);
      drop(ip);
    });
    expect(r.failure?.code).toBe('E_OWNERSHIP');
    expect(r.failure?.message).toMatch(/already dropped/);
  });

  it('sending something that is not an IP is an error', async () => {
    const r = await runWith(async (_ip, send, drop) => {
      drop(_ip);
      await send({ kind: 'data', data: 1 } as IP<number>);
    });
    expect(r.failure?.code).toBe('E_OWNERSHIP');
    expect(r.failure?.message).toMatch(/not an IP/);
  });

  it('sending or dropping null, undefined or a number is a clear error, not a TypeError', async () => {
    for (const bad of [null, undefined, 5]) {
      const sent = await runWith(async (ip, send, drop) => {
        drop(ip);
        await send(bad as never);
      });
      expect(sent.failure?.code).toBe('E_OWNERSHIP');
      expect(sent.failure?.message).toMatch(/not an IP/);
      const dropped = await runWith((ip, _send, drop) => {
        drop(ip);
        drop(bad as never);
      });
      expect(dropped.failure?.code).toBe('E_OWNERSHIP');
    }
  });

  it('an activation that ends still owning IPs is a leak naming the box and the count', async () => {
    const r = await runWith(() => {});
    expect(r.status).toBe('failed');
    expect(r.failure?.code).toBe('E_LEAK');
    expect(r.failure?.message).toMatch(/box b .* still owning 1 IP/);
  });

  it('a non-looper that creates an IP and does not send it leaks', async () => {
    const Leaky = defineComponent({
      inPorts: { in: port.number() },
      outPorts: { out: port.number() },
      process: {
        in(_ip, _out, ctx) {
          ctx.create(5);
        },
      },
    });
    const r = await makeNetwork({ nodes: { g: Gen, l: Leaky }, edges: ['g.out -> l.in'], iips: [[1, 'g.count']] }).run();
    expect(r.failure?.code).toBe('E_LEAK');
    expect(r.failure?.box).toBe('l');
  });

  it('a box that sends an IP owned by another box is caught', async () => {
    let stolen: IP<number> | null = null;
    const Holder = defineComponent({
      inPorts: { in: port.number() },
      outPorts: {},
      async run({ in: input }, _o, ctx) {
        stolen = (await input.receive()) as IP<number>;
        await new Promise((r) => setTimeout(r, 5));
        if (stolen) ctx.drop(stolen);
        for (let ip = await input.receive(); ip !== null; ip = await input.receive()) ctx.drop(ip);
      },
    });
    const Thief = defineComponent({
      inPorts: {},
      outPorts: { out: port.number() },
      async run(_i, { out }) {
        await new Promise((r) => setTimeout(r, 1));
        await out.send(stolen!);
      },
    });
    const got: unknown[] = [];
    const r = await makeNetwork({ nodes: { g: Gen, h: Holder, t: Thief, c: collector(got) }, edges: ['g.out -> h.in', 't.out -> c.in'], iips: [[1, 'g.count']] }).run();
    expect(r.failure?.code).toBe('E_OWNERSHIP');
    expect(r.failure?.message).toMatch(/box t tried to send an IP it does not own: it is owned by h/);
  });

  it('unchecked mode performs no checks (the same misuse passes silently)', async () => {
    const r = await runWith(() => {}, false);
    expect(r.status).toBe('finished');
  });
});
