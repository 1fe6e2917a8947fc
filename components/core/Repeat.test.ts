import { describe, it, expect } from 'vitest';
import Repeat from './Repeat.ts';
import Drop from './Drop.ts';
import Generate from './Generate.ts';
import { MODES, SINK, close, feed, open, pipe, runCollect } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Repeat and core/Drop ($name)', ({ opts }) => {
  it('Repeat forwards every IP, brackets too', async () => {
    const items = [open('a'), 1, 'two', { three: 3 }, close('a'), null];
    const { result, got } = await pipe(Repeat, items, opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual(items);
  });

  it('Repeat keeps order over many IPs', async () => {
    const { result, got } = await runCollect(
      { nodes: { g: Generate, r: Repeat, sink: SINK }, edges: ['g.out -> r.in', 'r.out -> sink.in'], iips: [[1000, 'g.count']] },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('Drop consumes everything', async () => {
    const r = await runCollect({ nodes: { src: feed([open(), 1, 2, close()]), d: Drop }, edges: ['src.out -> d.in'] }, opts);
    expect(r.result.status).toBe('finished');
    // Unchecked mode does not count the runtime's automatic drops (see RUNTIME-BUGS.md).
    if (opts.checked !== false) expect(r.result.stats.totals.dropped).toBe(4);
    expect(r.result.stats.boxes.find((b) => b.box === 'd')!.ipsIn).toBe(4);
  });
});
