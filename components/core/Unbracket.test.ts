import { describe, it, expect } from 'vitest';
import Unbracket from './Unbracket.ts';
import { MODES, close, open, pipe } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Unbracket ($name)', ({ opts }) => {
  it('drops brackets and forwards data', async () => {
    const { result, got } = await pipe(Unbracket, [open('a'), 1, open(), 'x', close(), close('a'), null], opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual([1, 'x', null]);
  });
});
