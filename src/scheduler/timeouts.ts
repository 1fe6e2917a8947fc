/**
 * Per-box timeouts (node metadata `timeout`, ms): a looper that stays RUNNING (awaiting I/O or
 * a timer, or computing between awaits) longer than its timeout since it was last started or
 * resumed at a port operation fails the network with E_TIMEOUT. A timer checks at a quarter
 * of the shortest timeout; none runs when no box has one. A box that never lets its thread go
 * (a synchronous loop) cannot be caught from its own thread: on several workers the main
 * thread's watchdog does that (worker/watchdog.ts).
 */
import { WeftError } from '../errors.ts';
import { RUNNING } from './box.ts';
import type { Scheduler } from './scheduler.ts';

/** Start checking the scheduler's boxes that have a timeout; returns the stop function. */
export function watchTimeouts(sched: Scheduler): () => void {
  const timed = sched.boxes.filter((b) => b.timeoutMs > 0 && b.looper);
  if (timed.length === 0) return () => {};
  const every = Math.max(5, Math.min(...timed.map((b) => b.timeoutMs)) / 4);
  const t = setInterval(() => {
    const at = performance.now();
    for (const b of timed) {
      if (b.status !== RUNNING || b.op === null) continue;
      const ms = at - b.op.runStart;
      if (ms > b.timeoutMs) {
        sched.fail(b, new WeftError('E_TIMEOUT', `box ${b.label} (${b.componentName}) went ${Math.round(ms)} ms without a port operation (its timeout is ${b.timeoutMs} ms)`));
        return;
      }
    }
  }, every);
  t.unref();
  return () => clearInterval(t);
}
