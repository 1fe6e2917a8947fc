/**
 * The `any` codec when something in the process has switched on msgpackr's native string
 * extractor (importing 'msgpackr' itself does, as this file does). The extractor refuses a
 * SharedArrayBuffer by throwing, which msgpackr catches once per message holding a string
 * (about 100× the cost of the read), so the decoder must never hand msgpackr the ring's shared
 * memory then. Skipped where the optional native module is not installed.
 */
import { isNativeAccelerationEnabled, Unpackr } from 'msgpackr';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codecFor } from './codec.ts';
import { anyValues, FakeRing } from './codec.testutil.ts';

const WHERE = 'edge A.OUT -> B.IN';

afterEach(() => {
  vi.restoreAllMocks();
});

describe.skipIf(!isNativeAccelerationEnabled)('any codec with the native string extractor on', () => {
  it('decodes from memory of its own, never from the shared ring', () => {
    const sources: boolean[] = [];
    const unpack = Unpackr.prototype.unpack;
    vi.spyOn(Unpackr.prototype, 'unpack').mockImplementation(function (this: Unpackr, source, options) {
      sources.push(source.buffer instanceof SharedArrayBuffer);
      return unpack.call(this, source, options as never);
    });
    const ring = new FakeRing();
    const enc = codecFor({ kind: 'any' }, WHERE);
    const dec = codecFor({ kind: 'any' }, WHERE);
    const words = ['four', 'score', 'and', 'seven', 'years', 'x'.repeat(300), 'ago'];
    for (const w of words) expect(ring.pass(enc, dec, w)).toBe(w);
    expect(ring.pass(enc, dec, { name: 'item', tags: ['a', 'b'] })).toEqual({ name: 'item', tags: ['a', 'b'] });
    expect(sources.length).toBe(words.length + 1);
    expect(sources.every((shared) => !shared)).toBe(true);
  });

  it('a seeded mix of 2000 values round-trips, a 1 MB string among them', () => {
    const ring = new FakeRing();
    const enc = codecFor({ kind: 'any' }, WHERE);
    const dec = codecFor({ kind: 'any' }, WHERE);
    const values = anyValues(5, 2000);
    const again = anyValues(5, 2000);
    values.forEach((v, i) => expect(ring.pass(enc, dec, v), `seed 5 #${i}`).toEqual(again[i]));
    const big = 'y'.repeat(1 << 20);
    expect(ring.pass(enc, dec, big)).toBe(big);
    expect(ring.pass(enc, dec, 'short again')).toBe('short again');
  });
});
