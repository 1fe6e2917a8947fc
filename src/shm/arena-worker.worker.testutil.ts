// Test worker for arena.test.ts: random allocations and frees on one shared arena, several
// threads at once. Every block is filled with a pattern made of its offset and generation and
// checked before it is freed, so two live blocks that overlap (or a block handed to two
// threads) break a pattern. Blocks also change hands: a thread puts one of its blocks in an
// exchange slot, and whichever thread takes it checks and frees it (a free on another thread
// than the allocation).
// Sizes are small so that the threads meet on the same few free lists.
//
// Exchange slot (4 Int32 in `exchange`): [state, offset, bytes, gen]; state 0 empty, 1 being
// written or read, 2 full. Posts {allocs, frees, failed} when done; throws on a broken pattern.
import { parentPort, workerData } from 'node:worker_threads';
import { rng } from '../../test/helpers/rng.ts';
import { Arena } from './arena.ts';

const { sab, exchange, start, threads, seed, iterations } = workerData as {
  sab: SharedArrayBuffer;
  exchange: SharedArrayBuffer;
  /** A start line (one Int32): every thread begins once all have arrived, so they overlap. */
  start: SharedArrayBuffer;
  threads: number;
  seed: number;
  iterations: number;
};
const arena = new Arena(sab);
const slots = new Int32Array(exchange);
const SLOTS = slots.length / 4;
const bytesOf = new Uint8Array(sab);
const pick = rng(seed);

function fill(off: number, bytes: number, gen: number): void {
  const base = ((off >>> 6) * 31 + gen * 7) & 0xff;
  for (let i = 0; i < bytes; i++) bytesOf[off + i] = (base + i) & 0xff;
}
function check(off: number, bytes: number, gen: number): void {
  const base = ((off >>> 6) * 31 + gen * 7) & 0xff;
  for (let i = 0; i < bytes; i++) {
    if (bytesOf[off + i] !== ((base + i) & 0xff)) throw new Error(`block at ${off} (${bytes} B, gen ${gen}): byte ${i} was overwritten`);
  }
}

const live: { off: number; bytes: number; gen: number }[] = [];
let allocs = 0, frees = 0, failed = 0;
const free = (b: { off: number; bytes: number; gen: number }) => {
  check(b.off, b.bytes, b.gen);
  arena.release(b.off, b.gen);
  frees++;
};
const line = new Int32Array(start);
Atomics.add(line, 0, 1);
while (Atomics.load(line, 0) < threads);
// First every thread takes fresh blocks as fast as it can (they race on the bump pointer), then
// it allocates and frees at random (they race on the free lists).
for (let i = 0; i < 64; i++) {
  try {
    const off = arena.allocate(64 + Math.floor(pick() * 400));
    const gen = arena.genAt(off);
    fill(off, 64, gen);
    live.push({ off, bytes: 64, gen });
    allocs++;
  } catch {
    failed++;
  }
}
for (let it = 0; it < iterations; it++) {
  const r = pick();
  if (r < 0.5 && live.length < 24) {
    const bytes = 1 + Math.floor(2 ** (pick() * 10)); // 2 B .. 1 KiB, more small than large
    try {
      const off = arena.allocate(bytes);
      const gen = arena.genAt(off);
      fill(off, bytes, gen);
      live.push({ off, bytes, gen });
      allocs++;
    } catch {
      failed++; // full: the other threads hold it; free something next
    }
  } else if (r < 0.8 && live.length > 0) {
    const k = Math.floor(pick() * live.length);
    free(live[k]);
    live[k] = live[live.length - 1];
    live.pop();
  } else {
    const s = 4 * Math.floor(pick() * SLOTS);
    if (live.length > 0 && Atomics.compareExchange(slots, s, 0, 1) === 0) {
      const b = live.pop()!;
      slots[s + 1] = b.off;
      slots[s + 2] = b.bytes;
      slots[s + 3] = b.gen;
      Atomics.store(slots, s, 2);
    } else if (Atomics.compareExchange(slots, s, 2, 1) === 2) {
      const b = { off: slots[s + 1], bytes: slots[s + 2], gen: slots[s + 3] };
      Atomics.store(slots, s, 0);
      free(b);
    }
  }
}
for (const b of live) free(b);
parentPort!.postMessage({ allocs, frees, failed });
