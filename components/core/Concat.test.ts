import { describe, it, expect } from 'vitest';
import Concat from './Concat.ts';
import Generate from './Generate.ts';
import Take from './Take.ts';
import { MODES, SINK, close, feed, open, runCollect } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Concat ($name)', ({ opts }) => {
  it('sends all of IN[0], then IN[1], then IN[2]', async () => {
    const { result, got } = await runCollect(
      {
        nodes: { a: feed(['a1', 'a2', 'a3', 'a4', 'a5']), b: feed([open(), 'b1', close()]), c: feed(['c1', 'c2']), cat: Concat, sink: SINK },
        // Wired in reverse so that the later inputs are ready (and full) first.
        edges: ['c.out -> cat.in[2]', 'b.out -> cat.in[1]', 'a.out -> cat.in[0]', 'cat.out -> sink.in'],
      },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'open:', 'b1', 'close:', 'c1', 'c2']);
  });

  it('skips an unconnected element and keeps long streams in order', async () => {
    const { result, got } = await runCollect(
      {
        nodes: { g1: Generate, g2: Generate, cat: Concat, sink: SINK },
        edges: ['g2.out -> cat.in[2]', 'g1.out -> cat.in[0]', 'cat.out -> sink.in'],
        iips: [[100, 'g1.count'], [50, 'g2.count']],
      },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual([...Array.from({ length: 100 }, (_, i) => i + 1), ...Array.from({ length: 50 }, (_, i) => i + 1)]);
  });

  it('closes every input when OUT closes', async () => {
    const { result, got } = await runCollect(
      {
        nodes: { g1: Generate, g2: Generate, cat: Concat, t: Take, sink: SINK },
        edges: ['g1.out -> cat.in[0]', 'g2.out -> cat.in[1]', 'cat.out -> t.in', 't.out -> sink.in'],
        iips: [[3, 'g1.count'], [10_000_000, 'g2.count'], [5, 't.count']],
      },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual([1, 2, 3, 1, 2]);
  });
});
