import { describe, it, expect } from 'vitest';
import Count from './Count.ts';
import Generate from './Generate.ts';
import { MODES, SINK, close, open, pipe, runCollect } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Count ($name)', ({ opts }) => {
  it('counts data IPs, not brackets', async () => {
    const { result, got } = await pipe(Count, [open(), 'a', open(), null, close(), 3, close()], opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual([3]);
  });

  it('an empty stream counts 0', async () => {
    const { result, got } = await pipe(Count, [], opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual([0]);
  });

  it('counts a long stream', async () => {
    const { got } = await runCollect(
      { nodes: { g: Generate, c: Count, sink: SINK }, edges: ['g.out -> c.in', 'c.out -> sink.in'], iips: [[12345, 'g.count']] },
      opts,
    );
    expect(got).toEqual([12345]);
  });
});
