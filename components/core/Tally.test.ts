import { describe, it, expect } from 'vitest';
import Tally from './Tally.ts';
import { MODES, close, open, pipe } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Tally ($name)', ({ opts }) => {
  it('counts distinct values, most frequent first, ties by value', async () => {
    const items = ['b', 'a', open(), 'b', 'c', close(), 'a', 'b', 'd'];
    const { result, got } = await pipe(Tally, items, opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual([
      { value: 'b', count: 3 },
      { value: 'a', count: 2 },
      { value: 'c', count: 1 },
      { value: 'd', count: 1 },
    ]);
  });

  it('ties: numbers first in numeric order, then other values by text', async () => {
    const { got } = await pipe(Tally, ['b', 10, 'A', 9, '10', true, null, 2], opts);
    expect(got).toEqual([
      { value: 2, count: 1 },
      { value: 9, count: 1 },
      { value: 10, count: 1 },
      { value: '10', count: 1 },
      { value: 'A', count: 1 },
      { value: 'b', count: 1 },
      { value: null, count: 1 },
      { value: true, count: 1 },
    ]);
  });

  it('primitives are distinct by value and type, objects by JSON', async () => {
    const { got } = await pipe(Tally, [1, '1', 1, { a: 1 }, { a: 1 }, [1], '[1]', NaN, NaN], opts);
    expect(got).toEqual([
      { value: 1, count: 2 },
      { value: NaN, count: 2 },
      { value: { a: 1 }, count: 2 },
      { value: '1', count: 1 },
      { value: [1], count: 1 },
      { value: '[1]', count: 1 },
    ]);
  });

  it('an empty stream sends nothing', async () => {
    const { got } = await pipe(Tally, [], opts);
    expect(got).toEqual([]);
  });
});
