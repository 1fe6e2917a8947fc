import { describe, expect, it } from 'vitest';
import { defineComponent, GraphError, network, port } from '../index.ts';

const Upper = defineComponent({
  inPorts: { in: port.string() },
  outPorts: { out: port.string() },
  process: {
    in(ip, { out }) {
      if (ip.kind === 'data') ip.data = ip.data.toUpperCase();
      out.send(ip);
    },
  },
});

function sink() {
  const lines: string[] = [];
  return { lines, stdout: { write: (s: string) => (lines.push(s), true), once: () => undefined } };
}

describe('network() builder', () => {
  it('runs built-in and code components with IIPs and capacities', async () => {
    const out = sink();
    const r = await network()
      .node('words', 'core/Generate', { count: 3 })
      .node('up', Upper)
      .node('show', 'core/Output')
      .node('str', defineComponent({
        inPorts: { in: port.number() },
        outPorts: { out: port.string() },
        process: { in(ip, { out: o }, ctx) { if (ip.kind === 'data') o.send(ctx.create(`n${ip.data}`)); } },
      }))
      .connect('words.out', 'str.in')
      .connect('str.out', 'up.in', { capacity: 1 })
      .connect('up.out', 'show.in')
      .run({ stdout: out.stdout });
    expect(r.status).toBe('finished');
    expect(out.lines.join('')).toBe('N1\nN2\nN3\n');
    expect(r.stats.connections.find((c) => c.edge === 'str.out -> up.in')?.capacity).toBe(1);
  });

  it('reports graph mistakes as a GraphError naming node and port', async () => {
    const attempt = network().node('g', 'core/Generate', { count: 1 }).node('o', 'core/Output').connect('g.out', 'o.nope').run();
    await expect(attempt).rejects.toBeInstanceOf(GraphError);
    await expect(attempt).rejects.toMatchObject({ diagnostics: [expect.objectContaining({ code: 'E_UNKNOWN_PORT', message: expect.stringContaining("no in-port 'nope'") }), expect.anything()] });
  });

  it('refuses a malformed port reference at once', () => {
    expect(() => network().connect('g', 'o.in')).toThrow(/not a port reference/);
  });
});

describe('run options', () => {
  it('a capacity or budget out of range is a usage error, not a failure deep in the build', async () => {
    const build = () => network().node('g', 'core/Generate', { count: 1 }).node('d', 'core/Drop').connect('g.out', 'd.in');
    await expect(build().run({ capacity: 5_000_000 })).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringContaining('capacity must be an integer in 1..1048576') });
    await expect(build().run({ budget: 0 })).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
