import { describe, it, expect } from 'vitest';
import Sort from './Sort.ts';
import Generate from './Generate.ts';
import { MODES, SINK, close, open, pipe, runCollect } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Sort ($name)', ({ opts }) => {
  it('sorts numbers numerically, brackets dropped', async () => {
    const { result, got } = await pipe(Sort, [open(), 10, 9, -1, 100, 2.5, close(), 0], opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual([-1, 0, 2.5, 9, 10, 100]);
  });

  it('sorts anything else by its text with plain < (not locale order)', async () => {
    const { got } = await pipe(Sort, ['b', 'a', 'B', 10, 9, 'é', 'e', 'Z'], opts);
    // Code unit order: digits < upper case < lower case < accented.
    expect(got).toEqual([10, 9, 'B', 'Z', 'a', 'b', 'e', 'é']);
  });

  it('orders objects by their JSON text, and is stable', async () => {
    const { got } = await pipe(Sort, [{ k: 2 }, [1, 2], { k: 1 }, 'x', { k: 1, first: false }], opts);
    expect(got).toEqual([[1, 2], 'x', { k: 1, first: false }, { k: 1 }, { k: 2 }]);
    const { got: stable } = await pipe(Sort, ['1', 1, '1', true, 'true'], opts);
    expect(stable).toEqual(['1', 1, '1', true, 'true']);
  });

  it('sorts a long stream, sending it under back-pressure', async () => {
    const { result, got } = await runCollect(
      { nodes: { g: Generate, s: Sort, sink: SINK }, edges: ['g.out -> s.in', 's.out -> sink.in'], iips: [[5000, 'g.count']] },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  });

  it('an empty stream sends nothing', async () => {
    const { result, got } = await pipe(Sort, [], opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual([]);
  });
});
