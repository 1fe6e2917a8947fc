import { describe, it, expect } from 'vitest';
import Take from './Take.ts';
import { MODES, SINK, balanced, close, feed, open, pipe, runCollect } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Take ($name)', ({ opts }) => {
  it('forwards the first COUNT data IPs', async () => {
    const { result, got } = await pipe(Take, ['a', 'b', 'c', 'd', 'e'], opts, [[3, 'count']]);
    expect(result.status).toBe('finished');
    expect(got).toEqual(['a', 'b', 'c']);
  });

  it('forwards brackets in between and closes every bracket still open', async () => {
    const items = [open('x'), 1, open('y'), 2, close('y'), open('z'), 3, 4, close('z'), close('x'), 5];
    const { result, got } = await pipe(Take, items, opts, [[3, 'count']]);
    expect(result.status).toBe('finished');
    expect(got).toEqual([open('x'), 1, open('y'), 2, close('y'), open('z'), 3, close('z'), close('x')]);
    expect(balanced(got)).toBe(true);
  });

  it('a stream shorter than COUNT passes whole', async () => {
    const items = [open(), 1, 2, close()];
    const { got } = await pipe(Take, items, opts, [[10, 'count']]);
    expect(got).toEqual(items);
  });

  it('COUNT 0 closes at once', async () => {
    const sent = { n: 0 };
    const items = Array.from({ length: 100 }, (_, i) => i);
    const { result, got } = await runCollect(
      { nodes: { src: feed(items, sent), t: Take, sink: SINK }, edges: ['src.out -> t.in', 't.out -> sink.in'], iips: [[0, 't.count']] },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual([]);
    // The source stopped when its sends began to fail: at most a connection's worth went.
    expect(sent.n).toBeLessThanOrEqual(10);
  });

  it('closes IN after COUNT, so the source stops early', async () => {
    const sent = { n: 0 };
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const { result, got } = await runCollect(
      { nodes: { src: feed(items, sent), t: Take, sink: SINK }, edges: ['src.out -> t.in', 't.out -> sink.in'], iips: [[5, 't.count']] },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(sent.n).toBeLessThanOrEqual(20);
  });
});

describe('core/Take', () => {
  it('a bad COUNT fails the box', async () => {
    const { result } = await pipe(Take, [1], {}, [['3', 'count']]);
    expect(result.status).toBe('failed');
    expect(result.failure!.message).toMatch(/Take: COUNT must be an integer >= 0, got "3"/);
  });
});
