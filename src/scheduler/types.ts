/**
 * The scheduler's vocabulary: its options, its counters, how a run ends (Outcome), and what a
 * worker thread adds to it (External). Types only.
 */
import type { TextSink } from '../component/define.ts';
import type { Box } from './box.ts';

export interface SchedulerOptions {
  /** Ownership checks (default true). */
  checked?: boolean;
  /** Measure time spent per box (default false; the counters are always kept). */
  timing?: boolean;
  /** Port operations per activation (default DEFAULT_BUDGET). */
  budget?: number;
  stdout?: TextSink;
}

/**
 * Counts kept on the hot path. `sent` and `received` are not here: they are the sums of the
 * boxes' ipsOut / ipsIn (see allTotals()), so no port operation pays for a second counter.
 * `dropped` counts explicit drops, sends to closed ports and IPs discarded by an early close;
 * in checked mode it also counts the received IPs a non-looper did not pass on. Unchecked
 * mode tracks no ownership, so it cannot tell those apart and does not count them.
 */
export interface HotTotals {
  created: number;
  dropped: number;
}

export interface Totals extends HotTotals {
  sent: number;
  received: number;
}

export type Outcome =
  | { kind: 'finished' }
  | { kind: 'failed'; box: Box | null; error: unknown }
  | { kind: 'quiescent' } // live boxes remain, none can progress: the caller decides (deadlock)
  | { kind: 'stopped'; reason: string }
  /** The process ran out of work while loopers were still running: they await promises
   * that nothing can settle. */
  | { kind: 'stalled'; boxes: Box[] };

/**
 * What a worker thread adds to its scheduler: connection ends that other threads move, and a
 * doorbell to sleep on. `poll` runs every turn (one shared-memory load when nothing moved);
 * `park(idle)` sleeps until another thread rings (idle: no looper is running either, so this
 * worker has nothing left to do on its own); `resumed` ends a busy park that the worker's own
 * loopers ended.
 */
export interface External {
  poll(): void;
  park(idle: boolean): Promise<void>;
  resumed(): void;
  /** Wake this thread's own idle park (a box became READY while it sleeps). */
  wake(): void;
  /** Publish what connection ends to other threads hold back (before sleeping, every turn). */
  flush(): void;
}
