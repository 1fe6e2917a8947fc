import { describe, it, expect } from 'vitest';
import Batch from './Batch.ts';
import { MODES, close, open, pipe } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Batch ($name)', ({ opts }) => {
  it('brackets every SIZE data IPs and closes a final partial group', async () => {
    const { result, got } = await pipe(Batch, [1, 2, 3, 4, 5, 6, 7], opts, [[3, 'size']]);
    expect(result.status).toBe('finished');
    expect(got).toEqual([open(), 1, 2, 3, close(), open(), 4, 5, 6, close(), open(), 7, close()]);
  });

  it('an exact multiple leaves no empty group; an empty stream sends nothing', async () => {
    expect((await pipe(Batch, [1, 2, 3, 4], opts, [[2, 'size']])).got).toEqual([open(), 1, 2, close(), open(), 3, 4, close()]);
    expect((await pipe(Batch, [], opts, [[2, 'size']])).got).toEqual([]);
  });

  it('forwards incoming brackets as they are', async () => {
    const { got } = await pipe(Batch, [open('x'), 1, 2, close('x'), 3], opts, [[2, 'size']]);
    expect(got).toEqual([open('x'), open(), 1, 2, close(), close('x'), open(), 3, close()]);
  });
});

describe('core/Batch', () => {
  it('a bad SIZE fails the box', async () => {
    const { result } = await pipe(Batch, [1], {}, [[0, 'size']]);
    expect(result.status).toBe('failed');
    expect(result.failure!.message).toMatch(/Batch: SIZE must be an integer >= 1, got 0/);
  });
});
