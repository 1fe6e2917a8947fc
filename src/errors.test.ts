/**
 * isWeftError recognises a WeftError by its brand, so that an error made by a second copy of
 * errors.ts (a component's own import of weft beside a worker's bundled runtime) still counts.
 */
import { describe, expect, it, vi } from 'vitest';
import { isWeftError, WeftError } from './errors.ts';

describe('isWeftError', () => {
  it('holds for a WeftError, with or without the code asked', () => {
    const e = new WeftError('E_STOPPED', 'stopped');
    expect(isWeftError(e)).toBe(true);
    expect(isWeftError(e, 'E_STOPPED')).toBe(true);
    expect(isWeftError(e, 'E_LEAK')).toBe(false);
  });

  it('holds for a WeftError of another copy of the module (the brand is registered)', async () => {
    vi.resetModules();
    const other = await import('./errors.ts');
    expect(other.WeftError).not.toBe(WeftError);
    const e = new other.WeftError('E_STOPPED', 'stopped');
    expect(e instanceof WeftError).toBe(false);
    expect(isWeftError(e, 'E_STOPPED')).toBe(true);
  });

  it('does not hold for other errors, even with a code', () => {
    expect(isWeftError(Object.assign(new Error('x'), { code: 'E_STOPPED', name: 'WeftError' }))).toBe(false);
    expect(isWeftError(null)).toBe(false);
    expect(isWeftError('E_STOPPED')).toBe(false);
  });
});
