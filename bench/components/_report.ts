// Shared by the benchmark components in bench/ (outside the collection directory, so the
// registry never takes it for a component). A component reports by writing one JSON line to
// ctx.stdout, which reaches the main thread (as an `out` message from a worker). Times are
// absolute (performance.timeOrigin + performance.now(), ms), so they compare across threads.
import { readlinkSync } from 'node:fs';
import type { TextSink } from '../../src/component/define.ts';

export const clock = (): number => performance.timeOrigin + performance.now();

/** This thread's Linux thread id (`/proc/thread-self` → `PID/task/TID`), or 0 elsewhere. */
let tid = -1;
function threadTid(): number {
  if (tid < 0) {
    try {
      tid = Number(readlinkSync('/proc/thread-self').split('/').pop()) || 0;
    } catch {
      tid = 0;
    }
  }
  return tid;
}

/** Write {bench: what, tid, ...fields} as one JSON line. */
export function report(stdout: TextSink, what: string, fields: Record<string, unknown>): void {
  stdout.write(`${JSON.stringify({ bench: what, tid: threadTid(), ...fields })}\n`);
}

/** A sink's counters and time stamps: at IP 1 (first), IP `skip` (mark) and IP `n` (last). */
export interface Stamps {
  got: number;
  sum: number;
  /** The IP count at which stamp() is called next (-1: never again). */
  next: number;
  first: number;
  mark: number;
  last: number;
}

export const stamps = (): Stamps => ({ got: 0, sum: 0, next: 1, first: 0, mark: 0, last: 0 });

/** Called when s.got reached s.next: take the time(s) due at this count, set the next one. */
export function stamp(s: Stamps, n: number, skip: number): void {
  const t = clock();
  if (s.got === 1) s.first = t;
  if (s.got === Math.max(skip, 1)) s.mark = t;
  if (s.got === n) s.last = t;
  const due = [Math.max(skip, 1), n].filter((k) => k > s.got);
  s.next = due.length > 0 ? Math.min(...due) : -1;
}
