/**
 * Test helpers for the codecs: a stand-in ring (a SharedArrayBuffer that encoded values are
 * copied into and decoded from, then scribbled over so that a decoded value sharing its memory
 * would show), and a seeded generator of `any` values that repeats shapes (record reuse) and
 * mixes in new ones, -0, Maps, Dates and BigInts.
 */
import { rng } from '../../test/helpers/rng.ts';
import type { Codec } from './codec.ts';

export class FakeRing {
  readonly sab: SharedArrayBuffer;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(size = 4 << 20) {
    this.sab = new SharedArrayBuffer(size);
    this.bytes = new Uint8Array(this.sab);
    this.view = new DataView(this.sab);
  }
  /** Encode with `enc`, copy to `offset`, decode with `dec`, then overwrite the bytes used. */
  pass(enc: Codec, dec: Codec, value: unknown, offset = 13): unknown {
    let length: number;
    if (enc.fixedSize >= 0) {
      enc.write(value, this.view, offset);
      length = enc.fixedSize;
    } else {
      const out = enc.encode(value);
      this.bytes.set(out, offset);
      length = out.length;
    }
    const back = dec.read(this.view, this.bytes, offset, length);
    this.bytes.fill(0xa5, offset, offset + length);
    return back;
  }
}

/** `count` values for the `any` codec, the same for the same seed. */
export function anyValues(seed: number, count: number): unknown[] {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: T[]): T => xs[int(xs.length)];
  const scalar = (): unknown =>
    pick([
      () => int(1000) - 500,
      () => (r() - 0.5) * 1e6,
      () => pick([NaN, -0, Infinity, -Infinity, 0, 2 ** 53, -(2 ** 31) - 1]),
      () => 'str' + int(100),
      () => pick(['', 'é✓😀', 'x'.repeat(int(300))]),
      () => pick([true, false, null, undefined]),
      () => BigInt(int(1e9)) * pick([1n, -1n, 10n ** 30n]),
    ])();
  const value = (depth: number): unknown => {
    const k = int(depth > 3 ? 2 : 8);
    if (k < 2) return scalar();
    if (k === 2) return { id: int(100), name: 'n' + int(10), pos: { x: r(), y: -r() } }; // a repeated shape
    if (k === 3) return { ['k' + int(90)]: value(depth + 1), common: int(5) }; // many shapes
    if (k === 4) return Array.from({ length: int(5) }, () => value(depth + 1));
    if (k === 5) return new Map([[scalar(), value(depth + 1)]]);
    if (k === 6) return new Date(int(2e12));
    return { id: int(100), name: 'n' + int(10), pos: { x: -0, y: r() }, tags: new Set(['a', int(9)]) };
  };
  return Array.from({ length: count }, () => value(0));
}
