/**
 * WorkerHost: what a worker thread's scheduler needs beyond its own boxes (scheduler.ts's
 * External) and what its ring ends need from their thread (shared-ring.ts's RingHost).
 *
 * - ring(w): ring another worker's doorbell (doorbell.ts).
 * - watch(end): an end with a waiting box is polled each time this worker's bell rings, until
 *   its wait is over.
 * - poll(): each scheduler turn; one shared-memory load when the bell has not moved.
 * - dirty(end): an end holds counters it has not published (shared-ring.ts, batches): flush
 *   it in a microtask after the code that moved it; the scheduler also flushes at every turn
 *   and before it parks, so nothing stays unpublished while this worker sleeps.
 * - park(idle): spin briefly (a cross-thread wake-up costs ~12–21 µs here, a spin check about
 *   1 µs), then sleep on the doorbell. Whatever woke it, the watched ends are polled after.
 */
import type { Flushable, RingHost } from '../connection/shared-ring.ts';
import type { External } from '../scheduler/scheduler.ts';
import { Parker, ring } from '../shm/doorbell.ts';

/** How long an idle worker checks its bell before it sleeps. */
export const SPIN_MS = 0.05;

export class WorkerHost implements RingHost, External {
  readonly parker: Parker;
  private watched: { poll(): boolean }[] = [];
  private dirtyEnds: Flushable[] = [];
  private flushQueued = false;
  private readonly flushTask = () => {
    this.flushQueued = false;
    this.flush();
  };
  /** Time spent parked on the doorbell (idle or awaiting I/O), ms. */
  idleMs = 0;

  constructor(
    doorbells: SharedArrayBuffer,
    worker: number,
    private readonly onQuiescent: () => void,
    /**
     * Whether the thread's link to the main thread keeps it alive. A busy park lets go of it,
     * so that when nothing else is pending (loopers await promises nothing can settle) the
     * thread reaches `beforeExit` and the network reports a stall, as on one thread.
     */
    private readonly holdOpen: (hold: boolean) => void = () => {},
  ) {
    this.parker = new Parker(doorbells, worker);
  }

  ring(worker: number): void {
    ring(this.parker.words, worker);
  }

  watch(end: { poll(): boolean }): void {
    this.watched.push(end);
  }

  dirty(end: Flushable): void {
    this.dirtyEnds.push(end);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushTask);
    }
  }

  /** Publish every end's pending counters (and ring the peers that wait for them). */
  flush(): void {
    const list = this.dirtyEnds;
    if (list.length === 0) return;
    this.dirtyEnds = [];
    for (const end of list) end.flush();
  }

  poll(): void {
    if (this.parker.rang()) this.pollAll();
  }

  /** Poll every watched end; keep those still waiting. */
  pollAll(): void {
    const list = this.watched;
    if (list.length === 0) return;
    this.watched = [];
    for (const end of list) if (!end.poll()) this.watched.push(end);
  }

  async park(idle: boolean): Promise<void> {
    if (idle) {
      const until = performance.now() + SPIN_MS;
      do {
        if (this.parker.rang()) {
          this.pollAll();
          return;
        }
      } while (performance.now() < until);
    }
    if (!idle) this.holdOpen(false);
    const t0 = performance.now();
    try {
      await this.parker.park(idle, this.onQuiescent);
    } finally {
      this.idleMs += performance.now() - t0;
      if (!idle) this.holdOpen(true);
    }
    this.pollAll();
  }

  resumed(): void {
    this.parker.resumeFromBusy();
  }

  wake(): void {
    this.parker.wakeSelf();
  }
}
