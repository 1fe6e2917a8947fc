import { describe, it, expect } from 'vitest';
import Output from './Output.ts';
import Generate from './Generate.ts';
import { makeNetwork } from '../../test/helpers/net.ts';
import { MODES, SINK, captureSink, close, feed, open, runCollect, slowSink } from '../../test/helpers/components.ts';

const items = [open('g'), 'hello', 42, { a: [1, 'x'] }, null, true, close('g'), '', 'a "quoted" line'];
const printed = 'hello\n42\n{"a":[1,"x"]}\nnull\ntrue\n\na "quoted" line\n';

describe.each(MODES)('core/Output ($name)', ({ opts }) => {
  it('prints one line per data IP: strings as-is, other values as JSON, no brackets', async () => {
    const sink = captureSink();
    const net = makeNetwork({ nodes: { src: feed(items), o: Output }, edges: ['src.out -> o.in'] }, { ...opts, stdout: sink });
    const r = await net.run();
    expect(r.status).toBe('finished');
    expect(sink.text()).toBe(printed);
  });

  it('passes every IP on, brackets too, when OUT is connected', async () => {
    const sink = captureSink();
    const { result, got } = await runCollect(
      { nodes: { src: feed(items), o: Output, sink: SINK }, edges: ['src.out -> o.in', 'o.out -(1)-> sink.in'] },
      { ...opts, stdout: sink },
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual(items);
    expect(sink.text()).toBe(printed);
  });

  it('waits for drain whenever write returns false', async () => {
    const sink = slowSink();
    const n = 5000; // about 24 KB of text: more than one write chunk
    const net = makeNetwork(
      { nodes: { g: Generate, o: Output }, edges: ['g.out -> o.in'], iips: [[n, 'g.count']] },
      { ...opts, stdout: sink },
    );
    const r = await net.run();
    expect(r.status).toBe('finished');
    expect(sink.violations).toBe(0);
    expect(sink.writes).toBeGreaterThan(1);
    expect(sink.drains).toBe(sink.writes);
    const lines = sink.text().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
  });
});

describe('core/Output', () => {
  it('a wait for drain ends when the network stops', async () => {
    const stuck = { write: () => false, once: () => undefined };
    const net = makeNetwork({ nodes: { g: Generate, o: Output }, edges: ['g.out -> o.in'], iips: [[100, 'g.count']] }, { stdout: stuck });
    const done = net.run();
    await new Promise((r) => setTimeout(r, 20));
    net.stop('test');
    const r = await done;
    expect(r.status).toBe('interrupted');
  });

  it('prints a slow stream as it arrives (no line waits for the next IP)', async () => {
    const sink = captureSink();
    let seen = '';
    const Slow = (await import('./Delay.ts')).default;
    const net = makeNetwork(
      { nodes: { g: Generate, d: Slow, o: Output }, edges: ['g.out -> d.in', 'd.out -> o.in'], iips: [[3, 'g.count'], [30, 'd.ms']] },
      { stdout: sink },
    );
    const done = net.run();
    await new Promise((r) => setTimeout(r, 45));
    seen = sink.text();
    await done;
    expect(seen).toBe('1\n');
    expect(sink.text()).toBe('1\n2\n3\n');
  });
});
