/**
 * Watchdog (main thread): notices a box that has not reached a port operation for longer than
 * a threshold, from heartbeats the workers write in shared memory, and never stops a worker
 * to look.
 *
 * Each worker's scheduler bumps a counter at every activation, handler call and loop turn, and
 * writes the index of the box it activated last (scheduler.ts, `beat`). Every tick the
 * watchdog compares each counter with the previous one; a counter that has not moved for
 * `thresholdMs` while its worker is RUNNING (not parked on its doorbell, not awaiting I/O)
 * means one synchronous stretch of code has held that worker since: the last activated box,
 * or, for loopers, the one whose body runs after its activation. It is reported once per
 * stretch (`onHog`), and its longest stretch kept for the statistics. A box with a `timeout`
 * that stretches past it is handed to `onTimeout` (the caller stops that worker: a thread
 * running a synchronous loop cannot be asked to stop).
 */
import { RUNNING, workerState } from '../shm/doorbell.ts';

export interface HogReport {
  box: string;
  component: string;
  worker: number;
  /** Longest stretch without a port operation seen, ms. */
  ms: number;
}

export interface WatchedBox {
  label: string;
  component: string;
  timeoutMs: number;
}

export const DEFAULT_WATCHDOG_MS = 1000;
export const BEAT_STRIDE = 16;

export class Watchdog {
  readonly hogs = new Map<string, HogReport>();
  private readonly last: number[];
  private readonly since: number[];
  private readonly reported: boolean[];
  private readonly done: boolean[];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly beats: Int32Array,
    private readonly doorbells: Int32Array,
    private readonly boxes: WatchedBox[][],
    private readonly thresholdMs: number,
    private readonly onHog: (h: HogReport) => void,
    private readonly onTimeout: (h: HogReport, timeoutMs: number) => void,
  ) {
    const n = boxes.length;
    this.last = new Array(n).fill(-1);
    this.since = new Array(n).fill(0);
    this.reported = new Array(n).fill(false);
    this.done = new Array(n).fill(false);
  }

  start(): void {
    let shortest = this.thresholdMs;
    for (const list of this.boxes) for (const b of list) if (b.timeoutMs > 0) shortest = Math.min(shortest, b.timeoutMs);
    const every = Math.max(5, shortest / 4);
    const t0 = performance.now();
    this.since.fill(t0);
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
  }

  /** A worker ended its run: its counter stops for a good reason. */
  workerDone(w: number): void {
    this.done[w] = true;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  tick(): void {
    const now = performance.now();
    for (let w = 0; w < this.boxes.length; w++) {
      if (this.done[w]) continue;
      const c = Atomics.load(this.beats, w * BEAT_STRIDE);
      if (c !== this.last[w] || workerState(this.doorbells, w) !== RUNNING) {
        this.last[w] = c;
        this.since[w] = now;
        this.reported[w] = false;
        continue;
      }
      const ms = now - this.since[w];
      const box = this.boxes[w][Atomics.load(this.beats, w * BEAT_STRIDE + 1)];
      if (box === undefined) continue; // -1: building, starting or reporting, not a box
      if (ms >= this.thresholdMs) {
        const h = this.hogs.get(box.label) ?? { box: box.label, component: box.component, worker: w, ms: 0 };
        h.ms = Math.max(h.ms, Math.round(ms));
        this.hogs.set(box.label, h);
        if (!this.reported[w]) {
          this.reported[w] = true;
          this.onHog(h);
        }
      }
      if (box.timeoutMs > 0 && ms > box.timeoutMs) {
        this.done[w] = true;
        this.onTimeout({ box: box.label, component: box.component, worker: w, ms: Math.round(ms) }, box.timeoutMs);
      }
    }
  }
}
