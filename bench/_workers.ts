/**
 * Shared by the worker benchmarks (cross-worker.ts, chain-workers.ts, idle-workers.ts): the
 * components directory, the absolute clock, the checksum, and what the benchmark components
 * (bench/components/bench/) report through ctx.stdout.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const COMPONENTS = path.join(here, 'components');

export const clock = (): number => performance.timeOrigin + performance.now();

/** The int32-wrapping checksum of 0..n-1, computed as every consumer does. */
const sums = new Map<number, number>();
export function checksum(n: number): number {
  let s = sums.get(n);
  if (s === undefined) {
    s = 0;
    for (let i = 0; i < n; i++) s = (s + i) | 0;
    sums.set(n, s);
  }
  return s;
}
export function verify(what: string, n: number, got: number, sum: number): void {
  if (got !== n || sum !== checksum(n)) throw new Error(`${what}: got ${got} IPs, checksum ${sum}; expected ${n}, ${checksum(n)}`);
}

/**
 * The time box of one run (WORKERS_MAX_RUN_S, default 4 s from the first IP sent; 0: none): on
 * a machine too busy for two spinning threads a run can be 50× slower than usual (both threads
 * end up sleeping and waking each other every few IPs), so the producers stop after this long
 * and the run is counted as cut short. On a quiet machine no default run comes near it.
 */
export const MAX_RUN_S = Number(process.env.WORKERS_MAX_RUN_S ?? 4);
export const MAX_RUN_MS = MAX_RUN_S > 0 ? Math.round(MAX_RUN_S * 1000) : 0;

/** One timed run: the steady rate and the information figures. */
export interface Sample {
  /** IPs/s from IP SKIP to IP N (or to the last one, when cut short), measured in the consumer. */
  steady: number;
  /** IPs/s from IP 1 to IP N, same clock. */
  firstToLast: number;
  /** N / the whole call (weft: run() including worker start-up and shutdown). */
  endToEnd?: number;
  /** ms from the run() call to the first IP at the sink. */
  startupMs?: number;
  /** The run was stopped at its deadline: `got` IPs of N arrived. */
  cut?: boolean;
  got?: number;
}

/** What a consumer reports: counts and absolute times (ms) on its own thread. */
export interface ConsumerReport {
  got: number;
  sum: number;
  first: number;
  mark: number;
  markGot?: number;
  last: number;
  /** When the end of stream arrived (the sinks): the last time of a run cut short. */
  end?: number;
}

/**
 * Check a consumer's count and checksum (of all N, or of the IPs that arrived when the run was
 * cut short) and compute the rates: (count − SKIP) / (last − mark), and (count − 1) / (last −
 * first). A run cut short before IP SKIP is measured from IP 1.
 */
export function sampleOf(what: string, r: ConsumerReport, n: number, skip: number): Sample {
  const cut = r.got < n;
  if (r.got < 2 || r.got > n) throw new Error(`${what}: got ${r.got} IPs of ${n}`);
  verify(what, r.got, r.got, r.sum);
  const last = cut ? (r.end ?? r.last) : r.last;
  const markGot = r.markGot ?? skip;
  const firstToLast = (r.got - 1) / ((last - r.first) / 1000);
  const steady = r.mark > 0 && r.got > markGot ? (r.got - markGot) / ((last - r.mark) / 1000) : firstToLast;
  return { steady, firstToLast, cut, got: r.got };
}

/**
 * A TextSink that keeps the JSON lines the benchmark components write (bench/components/),
 * and calls `onLine` for each one as it arrives (on the main thread: when a worker's output
 * message is handled).
 */
export class Capture {
  private rest = '';
  private readonly all: Record<string, number>[] = [];
  constructor(private readonly onLine?: (o: Record<string, number>) => void) {}
  write(chunk: string): boolean {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop()!;
    for (const l of parts) {
      if (!l.startsWith('{')) continue;
      const o = JSON.parse(l);
      this.all.push(o);
      this.onLine?.(o);
    }
    return true;
  }
  once(): undefined {
    return undefined;
  }
  /** The JSON lines written whose `bench` field is `what`, in order. */
  lines(what: string): Record<string, number>[] {
    return this.all.filter((o) => (o as { bench?: unknown }).bench === what);
  }
}

