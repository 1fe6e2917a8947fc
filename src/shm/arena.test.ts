import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { rng } from '../../test/helpers/rng.ts';
import { isWeftError } from '../errors.ts';
import { Arena, createArenaBuffer, GRANULE } from './arena.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isWeftError(e) ? e.code : `not a WeftError: ${String(e)}`;
  }
  return undefined;
}
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

interface Block {
  off: number;
  bytes: number;
  gen: number;
  id: number;
}

/** Fill a block's requested bytes with its id's pattern; check it before it is freed. */
function canary(u8: Uint8Array, b: Block, write: boolean): void {
  for (let i = 0; i < b.bytes; i++) {
    const v = (b.id * 13 + i) & 0xff;
    if (write) u8[b.off + i] = v;
    else if (u8[b.off + i] !== v) throw new Error(`block ${b.id} at ${b.off}: byte ${i} overwritten`);
  }
}

describe('arena, one thread', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: 3,000 random allocations and frees, canaries intact, no overlap, counters exact', (seed) => {
    const a = new Arena(createArenaBuffer(MiB));
    const u8 = new Uint8Array(a.sab);
    const pick = rng(seed);
    const live: Block[] = [];
    let id = 0, allocs = 0, frees = 0, full = 0;
    const free = (k: number) => {
      const b = live[k];
      canary(u8, b, false);
      a.release(b.off, b.gen);
      live[k] = live[live.length - 1];
      live.pop();
      frees++;
    };
    for (let step = 0; step < 3000; step++) {
      if (pick() < 0.55) {
        const bytes = Math.floor(2 ** (pick() * 17)); // 1 B .. 128 KiB
        let off: number;
        try {
          off = a.allocate(bytes);
        } catch (e) {
          expect(isWeftError(e, 'E_ARENA')).toBe(true);
          full++;
          if (live.length > 0) free(Math.floor(pick() * live.length));
          continue;
        }
        const size = a.sizeAt(off);
        expect(size).toBeGreaterThanOrEqual(Math.max(bytes, GRANULE));
        expect(off % GRANULE).toBe(0);
        for (const o of live) {
          const oSize = a.sizeAt(o.off);
          if (off < o.off + oSize && o.off < off + size) throw new Error(`block at ${off} (${size}) overlaps block ${o.id} at ${o.off} (${oSize})`);
        }
        const b = { off, bytes, gen: a.genAt(off), id: id++ };
        canary(u8, b, true);
        live.push(b);
        allocs++;
      } else if (live.length > 0) {
        free(Math.floor(pick() * live.length));
      }
      if (step % 100 === 0) {
        const s = a.stats();
        expect(s.liveBlocks).toBe(live.length);
        expect(s.inUse).toBe(live.reduce((n, b) => n + a.sizeAt(b.off), 0));
        expect(s.peak).toBeGreaterThanOrEqual(s.inUse);
      }
    }
    while (live.length > 0) free(live.length - 1);
    const s = a.stats();
    expect(s).toMatchObject({ inUse: 0, liveBlocks: 0, allocations: allocs, frees });
    expect(s.peak).toBeLessThanOrEqual(MiB);
    expect(allocs).toBeGreaterThan(500);
    expect(full).toBeGreaterThan(0); // the arena did fill up at times: the full path is covered
  });

  it('a double free is E_OWNERSHIP and leaves the free lists intact', () => {
    const a = new Arena(createArenaBuffer(MiB));
    const x = a.allocate(100);
    const g = a.genAt(x);
    a.release(x, g);
    expect(codeOf(() => a.release(x, g))).toBe('E_OWNERSHIP');
    expect(messageOf(() => a.release(x, -1))).toMatch(/already free/);
    // The block was pushed once: two allocations of its class get two different blocks.
    const p = a.allocate(100);
    const q = a.allocate(100);
    expect(p).toBe(x);
    expect(q).not.toBe(x);
    expect(a.stats()).toMatchObject({ liveBlocks: 2, frees: 1, allocations: 3 });
  });

  it('a free of something that is not a live block is E_OWNERSHIP: inside a block, unaligned, outside, stale', () => {
    const a = new Arena(createArenaBuffer(MiB));
    const x = a.allocate(4096);
    const g = a.genAt(x);
    expect(codeOf(() => a.release(x + 64, -1))).toBe('E_OWNERSHIP'); // inside x: never a block start
    expect(codeOf(() => a.release(x + 3, -1))).toBe('E_OWNERSHIP');
    expect(codeOf(() => a.release(0, -1))).toBe('E_OWNERSHIP');
    expect(codeOf(() => a.release(a.dataAt + a.bytes, -1))).toBe('E_OWNERSHIP');
    expect(messageOf(() => a.release(x + 64, -1))).toMatch(/not the start of a block/);
    // Freed and handed out again: the old generation no longer frees it.
    a.release(x, g);
    const y = a.allocate(4096);
    expect(y).toBe(x);
    expect(messageOf(() => a.release(x, g))).toMatch(/handed out again/);
    expect(a.stats().liveBlocks).toBe(1);
    a.release(y, a.genAt(y));
    expect(a.stats()).toMatchObject({ liveBlocks: 0, inUse: 0 });
  });

  it('exhaustion is E_ARENA naming the request, the arena size and how to raise it', () => {
    const a = new Arena(createArenaBuffer(4 * MiB));
    const held = [a.allocate(MiB), a.allocate(MiB), a.allocate(MiB), a.allocate(MiB)];
    const msg = messageOf(() => a.allocate(MiB, 'ctx.alloc(Float64Array, 131072)'));
    expect(msg).toContain('ctx.alloc(Float64Array, 131072)');
    expect(msg).toContain('4 MiB of 4 MiB');
    expect(msg).toContain('4 live blocks');
    expect(msg).toMatch(/arenaBytes.*--arena/);
    expect(codeOf(() => a.allocate(MiB))).toBe('E_ARENA');
    const big = messageOf(() => a.allocate(8 * MiB, 'ctx.alloc(Uint8Array, 8388608)'));
    expect(big).toMatch(/ctx\.alloc\(Uint8Array, 8388608\) \(8 MiB\) does not fit in the shared arena of 4 MiB/);
    for (const off of held) a.release(off, -1);
  });

  it('an empty class is served by splitting a larger free block; freed halves are not merged again', () => {
    const a = new Arena(createArenaBuffer(64 * KiB));
    const x = a.allocate(32 * KiB);
    const y = a.allocate(32 * KiB);
    a.release(x, -1);
    a.release(y, -1);
    // The bump pointer is at the end: 1024 blocks of 64 B can only come from splitting.
    const small: number[] = [];
    for (let i = 0; i < 1024; i++) small.push(a.allocate(64));
    expect(new Set(small).size).toBe(1024);
    expect(codeOf(() => a.allocate(1))).toBe('E_ARENA');
    for (const off of small) a.release(off, -1);
    expect(a.stats()).toMatchObject({ inUse: 0, liveBlocks: 0 });
    // Everything is free, but in 64 B blocks: a 32 KiB block cannot be made (documented).
    expect(messageOf(() => a.allocate(32 * KiB))).toMatch(/blocks of other sizes, which the arena does not merge/);
  });

  it('blocks are multiples of 64 B and a power of two; sizes up to the largest class', () => {
    expect(Arena.classFor(0)).toBe(0);
    expect(Arena.classFor(64)).toBe(0);
    expect(Arena.classFor(65)).toBe(1);
    expect(Arena.classFor(MiB)).toBe(14);
    expect(Arena.blockBytes(14)).toBe(MiB);
    const a = new Arena(createArenaBuffer(3 * MiB));
    expect(a.maxClass).toBe(15); // 2 MiB
    expect(a.sizeAt(a.allocate(MiB + 1))).toBe(2 * MiB);
  });

  it('createArenaBuffer refuses sizes out of range', () => {
    expect(codeOf(() => createArenaBuffer(1000))).toBe('E_USAGE');
    expect(codeOf(() => createArenaBuffer(1.5))).toBe('E_USAGE');
    expect(codeOf(() => new Arena(new SharedArrayBuffer(1024)))).toBe('E_INTERNAL');
  });
});

describe('arena, four threads', () => {
  it('three workers started together, blocks passed between them: 300,000 operations, patterns intact, nothing left in use', async () => {
    const sab = createArenaBuffer(64 * KiB);
    const exchange = new SharedArrayBuffer(4 * 4 * 16);
    const start = new SharedArrayBuffer(4);
    const iterations = 100_000;
    const workers = [11, 12, 13].map(
      (seed) =>
        new Worker(new URL('../worker/boot.mjs', import.meta.url), {
          workerData: { entry: new URL('./arena-worker.worker.testutil.ts', import.meta.url).href, sab, exchange, start, threads: 3, seed, iterations },
        }),
    );
    const results = await Promise.all(
      workers.map(
        (w) =>
          new Promise<{ allocs: number; frees: number; failed: number }>((resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    for (const w of workers) await w.terminate();
    // Blocks still waiting in the exchange: freed here (a fourth thread).
    const a = new Arena(sab);
    const slots = new Int32Array(exchange);
    let leftover = 0;
    for (let s = 0; s < slots.length; s += 4) {
      if (slots[s] === 2) {
        a.release(slots[s + 1], slots[s + 3]);
        leftover++;
      }
    }
    const allocs = results.reduce((n, r) => n + r.allocs, 0);
    const frees = results.reduce((n, r) => n + r.frees, 0) + leftover;
    expect(allocs).toBeGreaterThan(50_000);
    expect(frees).toBe(allocs);
    expect(a.stats()).toMatchObject({ inUse: 0, liveBlocks: 0, allocations: allocs, frees: allocs });
    expect(a.stats().peak).toBeLessThanOrEqual(64 * KiB);
  }, 60_000);
});
