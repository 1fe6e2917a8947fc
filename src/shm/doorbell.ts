/**
 * Doorbells: how a worker thread sleeps when none of its boxes can run, how another thread
 * wakes it, and how the network learns that every worker is idle (quiescence: the end of the
 * network, or a deadlock).
 *
 * Shared Int32 words (one SharedArrayBuffer for the network, one cache line per worker):
 *   [0]               active: workers not idle-parked
 *   [16 (w+1)]        state of worker w: RUNNING, PARKED_IDLE or PARKED_BUSY
 *   [16 (w+1) + 1]    bell of worker w: a counter bumped by every ring
 *
 * Ring (any thread, after it published something worker w waits for):
 *   bell += 1; s = state; if s ≠ RUNNING and CAS(state, s → RUNNING) succeeds:
 *   if s was PARKED_IDLE, active += 1 (on the sleeper's behalf); notify(state).
 *
 * Park (worker w, its run queue empty):
 *   1. state = PARKED_IDLE (or PARKED_BUSY while loopers await timers or I/O);
 *   2. re-check: if the bell moved since the worker last looked, something was published:
 *      CAS the state back to RUNNING and go on (if the CAS fails a ringer already did it
 *      and counted us in; an idle parker then takes back its own count);
 *   3. idle only: active -= 1; whoever takes it to 0 reports quiescence;
 *   4. wait on the state word until it is no longer the parked value.
 * The ringer bumps the bell before it reads the state and the parker stores the state before
 * it reads the bell; with sequentially consistent atomics one of the two sees the other, so
 * a wake-up is never lost. An idle worker leaves `active` only after its re-check found
 * nothing, and a ringer adds the sleeper back before it notifies, so `active` cannot touch 0
 * while a wake-up is on its way: zero means no worker can ever run again without outside
 * help (a stop from the main thread).
 *
 * Sleeping uses Atomics.waitAsync so that the worker's event loop (messages from the main
 * thread, timers, I/O) keeps running. On Node 20 a pending waitAsync does not keep a thread
 * alive, so an idle sleeper holds a ref'd timer handle; a busy sleeper does not, so that a
 * worker whose loopers await promises nothing can settle still reaches `beforeExit` (a stall).
 */

export const RUNNING = 0;
export const PARKED_IDLE = 1;
export const PARKED_BUSY = 2;

const ACTIVE = 0;
const stateIndex = (w: number) => 16 * (w + 1);
const bellIndex = (w: number) => 16 * (w + 1) + 1;

export function createDoorbells(workers: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(4 * 16 * (workers + 1));
  const words = new Int32Array(sab);
  words[ACTIVE] = workers;
  return sab;
}

/** Ring worker `w`'s doorbell (any thread). */
export function ring(words: Int32Array, w: number): void {
  const si = stateIndex(w);
  Atomics.add(words, bellIndex(w), 1);
  const s = Atomics.load(words, si);
  if (s === RUNNING) return;
  if (Atomics.compareExchange(words, si, s, RUNNING) !== s) return;
  if (s === PARKED_IDLE) Atomics.add(words, ACTIVE, 1);
  Atomics.notify(words, si);
}

export function activeWorkers(words: Int32Array): number {
  return Atomics.load(words, ACTIVE);
}

/** One worker's side: its bell and its sleep. */
export class Parker {
  readonly words: Int32Array;
  readonly worker: number;
  private readonly si: number;
  private readonly bi: number;
  private seen = 0;

  constructor(sab: SharedArrayBuffer, worker: number) {
    this.words = new Int32Array(sab);
    this.worker = worker;
    this.si = stateIndex(worker);
    this.bi = bellIndex(worker);
  }

  /** True when the bell was rung since the last call (one load when nothing happened). */
  rang(): boolean {
    const b = Atomics.load(this.words, this.bi);
    if (b === this.seen) return false;
    this.seen = b;
    return true;
  }

  /** Wake this worker from its own thread (a stop message, for instance). */
  wakeSelf(): void {
    ring(this.words, this.worker);
  }

  /**
   * Sleep until rung. `idle`: nothing here can happen without a ring, so this worker leaves
   * the active count (and `onQuiescent` runs if it was the last one). Resolves at once when
   * the bell moved since the last rang().
   */
  async park(idle: boolean, onQuiescent: () => void): Promise<void> {
    const words = this.words;
    const si = this.si;
    const parked = idle ? PARKED_IDLE : PARKED_BUSY;
    Atomics.store(words, si, parked);
    if (this.rang()) {
      if (Atomics.compareExchange(words, si, parked, RUNNING) !== parked && idle) Atomics.sub(words, ACTIVE, 1);
      return;
    }
    if (idle && Atomics.sub(words, ACTIVE, 1) === 1) onQuiescent();
    const keepAlive = idle ? setInterval(noop, 1 << 30) : null;
    try {
      while (Atomics.load(words, si) === parked) {
        const r = Atomics.waitAsync(words, si, parked);
        if (r.async) await r.value;
      }
    } finally {
      if (keepAlive !== null) clearInterval(keepAlive);
    }
  }

  /** A busy sleep ended through the worker's own event loop (a timer, I/O): back to RUNNING. */
  resumeFromBusy(): void {
    if (Atomics.load(this.words, this.si) === PARKED_BUSY) {
      // A ringer may win this race; either way the state ends RUNNING and no count moved.
      Atomics.compareExchange(this.words, this.si, PARKED_BUSY, RUNNING);
      Atomics.notify(this.words, this.si);
    }
  }
}

function noop(): void {}

/** Worker `w`'s state word (RUNNING, PARKED_IDLE, PARKED_BUSY), for a watchdog. */
export function workerState(words: Int32Array, w: number): number {
  return Atomics.load(words, stateIndex(w));
}
