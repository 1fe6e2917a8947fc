/**
 * Order state of an ordered parallel node (`metadata.ordered`): what each replica is doing, in
 * shared memory, so that the merge in front of the downstream box knows when an output may go.
 *
 * Int32 words:
 *   [16 + w]       a merge on worker w waits for a replica to change state (doorbell wanted)
 *   [64 + 16k]     cur of replica k: the number of the input it took last (-1 before any)
 *   [64 + 16k + 1] busy of replica k: 1 from just before it tries to take an input until it
 *                  finds the queue empty (then it has finished everything it took)
 *
 * A replica stores busy = 1 *before* its take (so no merge can see it idle while it holds an
 * input it has not numbered yet), cur after it, and busy = 0 after a take that found nothing.
 * Inputs are numbered in the order they are taken, so a replica that is idle, or whose cur is
 * past n, will only ever produce outputs numbered above n: it does not hold output n back.
 */

const WAITING = 16;
const REPLICAS = 64;
const STRIDE = 16;
export const MAX_ORDER_WORKERS = REPLICAS - WAITING;

export function createOrderState(replicas: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(4 * (REPLICAS + STRIDE * replicas));
  const w = new Int32Array(sab);
  for (let k = 0; k < replicas; k++) w[REPLICAS + STRIDE * k] = -1;
  return sab;
}

/** A replica's side. */
export class ReplicaState {
  private readonly w: Int32Array;
  private readonly at: number;
  constructor(
    sab: SharedArrayBuffer,
    replica: number,
    private readonly workers: number,
  ) {
    this.w = new Int32Array(sab);
    this.at = REPLICAS + STRIDE * replica;
  }
  beforeTake(): void {
    Atomics.store(this.w, this.at + 1, 1);
  }
  took(seq: number): void {
    Atomics.store(this.w, this.at, seq);
  }
  /** The take found nothing: idle. Rings the workers whose merges wait. */
  idle(ring: (w: number) => void): void {
    Atomics.store(this.w, this.at + 1, 0);
    this.notify(ring);
  }
  notify(ring: (w: number) => void): void {
    for (let k = 0; k < this.workers; k++) {
      if (Atomics.load(this.w, WAITING + k) !== 0 && Atomics.exchange(this.w, WAITING + k, 0) !== 0) ring(k);
    }
  }
}

/** The merge's side. */
export class MergeView {
  private readonly w: Int32Array;
  constructor(sab: SharedArrayBuffer) {
    this.w = new Int32Array(sab);
  }
  /** True when replica k cannot hold back output `n` (see the header). */
  passes(k: number, n: number): boolean {
    const at = REPLICAS + STRIDE * k;
    if (Atomics.load(this.w, at + 1) === 0) return true;
    return Atomics.load(this.w, at) > n;
  }
  setWaiting(worker: number): void {
    Atomics.store(this.w, WAITING + worker, 1);
  }
}
