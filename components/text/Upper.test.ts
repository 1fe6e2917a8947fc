import { describe, it, expect } from 'vitest';
import Upper from './Upper.ts';
import { MODES, close, open, pipe } from '../../test/helpers/components.ts';

describe.each(MODES)('text/Upper ($name)', ({ opts }) => {
  it('upper-cases strings, converts other values with String, forwards brackets', async () => {
    const { result, got } = await pipe(Upper, [open('g'), 'abc', 'Straße', 12, null, true, { a: 1 }, close('g')], opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual([open('g'), 'ABC', 'STRASSE', '12', 'NULL', 'TRUE', '[OBJECT OBJECT]', close('g')]);
  });

  it('reuses the received IP (creates none)', async () => {
    const { result } = await pipe(Upper, ['a', 'b', 'c'], opts);
    // The three IPs the source created are the only ones.
    expect(result.stats.totals.created).toBe(3);
  });
});
