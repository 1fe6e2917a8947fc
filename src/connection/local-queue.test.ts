import { describe, expect, it } from 'vitest';
import { LocalConnection } from './local-queue.ts';
import { rng } from '../../test/helpers/rng.ts';

describe('LocalConnection', () => {
  it('is FIFO and bounded by its capacity (not a power of two)', () => {
    const c = new LocalConnection<number>(3, 1);
    expect(c.offer(1)).toBe(1);
    expect(c.offer(2)).toBe(1);
    expect(c.offer(3)).toBe(1);
    expect(c.offer(4)).toBe(0);
    expect(c.size).toBe(3);
    expect(c.tryReceive()).toBe(1);
    expect(c.offer(4)).toBe(1);
    expect([c.tryReceive(), c.tryReceive(), c.tryReceive(), c.tryReceive()]).toEqual([2, 3, 4, undefined]);
    expect(c.maxFill).toBe(3);
    expect(c.carried).toBe(4);
  });

  it('rejects capacities outside 1..2^20', () => {
    expect(() => new LocalConnection(0, 1)).toThrow(RangeError);
    expect(() => new LocalConnection(1.5, 1)).toThrow(RangeError);
    expect(() => new LocalConnection(2 ** 20 + 1, 1)).toThrow(RangeError);
  });

  for (const capacity of [1, 2, 4, 5]) {
    for (const seed of [1, 2, 3, 42, 1234]) {
      it(`random sends and receives keep order and count (capacity ${capacity}, seed ${seed})`, () => {
        const r = rng(seed);
        const c = new LocalConnection<number>(capacity, 1);
        let next = 0;
        let expected = 0;
        const fail = (msg: string) => {
          throw new Error(`seed ${seed}, capacity ${capacity}: ${msg}`);
        };
        for (let step = 0; step < 20_000; step++) {
          if (r() < 0.5) {
            if (c.offer(next) === 1) next++;
            else if (c.size !== capacity) fail(`send refused at size ${c.size}`);
          } else {
            const v = c.tryReceive();
            if (v === undefined) {
              if (c.size !== 0) fail(`receive empty at size ${c.size}`);
            } else if (v !== expected++) fail(`got ${v}, expected ${expected - 1}`);
          }
          if (c.size < 0 || c.size > capacity) fail(`size ${c.size}`);
        }
        for (let v = c.tryReceive(); v !== undefined; v = c.tryReceive()) expect(v).toBe(expected++);
        expect(expected).toBe(next);
      });
    }
  }

  it('wakes the receiver once on arrival, and at once when registering while not empty', () => {
    const c = new LocalConnection<number>(2, 1);
    let wakes = 0;
    const w = { wake: () => wakes++ };
    c.waitNonEmpty(w);
    expect(wakes).toBe(0);
    c.offer(1);
    expect(wakes).toBe(1);
    c.offer(2);
    expect(wakes).toBe(1); // called once, then forgotten
    c.waitNonEmpty(w); // not empty: the re-check wakes at once
    expect(wakes).toBe(2);
  });

  it('wakes every waiting sender when room appears, and when the receiver closes', () => {
    const c = new LocalConnection<number>(1, 2);
    c.offer(1);
    const woke: string[] = [];
    c.waitNonFull({ wake: () => woke.push('a') });
    c.waitNonFull({ wake: () => woke.push('b') });
    c.tryReceive();
    expect(woke).toEqual(['a', 'b']);
    c.offer(2);
    c.waitNonFull({ wake: () => woke.push('c') });
    expect(c.closeReceiver()).toBe(1);
    expect(woke).toEqual(['a', 'b', 'c']);
    expect(c.receiverClosed).toBe(true);
    expect(c.size).toBe(0);
    expect(c.offer(3)).toBe(-1);
  });

  it('closes when the last of its senders closes, and wakes the receiver then', () => {
    const c = new LocalConnection<number>(4, 2);
    let wakes = 0;
    c.waitNonEmpty({ wake: () => wakes++ });
    c.closeSender();
    expect(c.closed).toBe(false);
    expect(wakes).toBe(0);
    c.closeSender();
    expect(c.closed).toBe(true);
    expect(wakes).toBe(1);
  });

  it('preload ignores capacity (for IIPs on a connected port) and grows the buffer', () => {
    const c = new LocalConnection<number>(1, 1);
    c.preload(1);
    c.preload(2);
    c.preload(3);
    expect([c.tryReceive(), c.tryReceive(), c.tryReceive()]).toEqual([1, 2, 3]);
  });
});
