/**
 * Scheduler: the per-thread loop that multiplexes boxes. Each worker thread has one.
 *
 * Run queue: a FIFO of READY boxes. A box enters it only when it can make progress (a
 * connection it waits on changed, or it used up its budget while still able to go on), so the
 * scheduler never polls a box.
 *
 * Loop, one turn:
 *   1. Run activations from the queue synchronously (non-loopers run inline; a looper's
 *      pending operation is completed and its Promise settled).
 *   2. Await one microtask so that the loopers resumed in step 1 run to their next park.
 *   3. Every YIELD_INTERVAL_MS, give the event loop a macrotask turn (timers, I/O).
 *   4. Queue empty: if some looper is still RUNNING (awaiting a timer or I/O), sleep until a
 *      box is enqueued or the last running looper parks. Otherwise the thread is quiescent:
 *      every live box is BLOCKED and nothing can wake one, so the network has either ended
 *      (no live box) or is deadlocked. This is exact, event-driven and timer-free.
 *
 * Tests can drive it step by step: runSlice(n) runs at most n activations synchronously.
 */
import type { Component, TextSink } from '../component/define.ts';
import { WeftError } from '../errors.ts';
import { checkedOwnership, uncheckedOwnership, type Ownership, type Packet } from '../ip/ip.ts';
import type { ArenaViews } from '../shm/arena-views.ts';
import { activate } from './activate.ts';
import { Box, BLOCKED, DONE, LooperState, READY, RUNNING } from './box.ts';
import { DIRECT_DEPTH, DIRECT_OFF, handedTo } from './direct.ts';
import { watchTimeouts } from './timeouts.ts';
import { DEFAULT_BUDGET, YIELD_INTERVAL_MS } from './tuning.ts';
import type { External, HotTotals, Outcome, SchedulerOptions, Totals } from './types.ts';

export type { External, HotTotals, Outcome, SchedulerOptions, Totals } from './types.ts';

const now = () => performance.now();
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Scheduler {
  readonly own: Ownership;
  readonly timing: boolean;
  readonly budget: number;
  readonly stdout: TextSink;
  readonly abort = new AbortController();
  readonly boxes: Box[] = [];
  readonly totals: HotTotals = { created: 0, dropped: 0 };

  private queue: (Box | undefined)[] = new Array(64);
  private qHead = 0;
  private qTail = 0;
  /** Loopers started or resumed that have not parked or returned yet. */
  running = 0;
  /** Boxes not DONE. */
  live = 0;
  stopped = false;
  outcome: Outcome | null = null;
  private idleWake: (() => void) | null = null;
  /** The loop sleeps in an idle park (see enqueue). */
  private parkedIdle = false;
  /** Set on a worker thread: connection ends that other threads move (see External). */
  external: External | null = null;
  /**
   * Heartbeat, read by the main thread's watchdog when this scheduler runs on a worker:
   * [beatAt] counts activations, handler calls and loop turns; [beatAt + 1] is the index of
   * the box activated last. A counter that stops while the worker is not parked means one
   * synchronous stretch of code (a box's) has been running since.
   */
  beat: Int32Array = new Int32Array(2);
  beatAt = 0;
  /** Timing: when the last slice ended or a looper last parked (see looperParked). */
  private mark = 0;
  private stopError: WeftError | null = null;
  /**
   * How many more direct deliveries may nest on the stack now (scheduler/direct.ts): one
   * counter, so that the send path tests one field. DIRECT_OFF turns them off for good.
   */
  directLeft = DIRECT_DEPTH;
  /** The network's shared arena on this thread; null when no port of the network is shared. */
  arena: ArenaViews | null = null;
  /** With an arena: frees the block of each IP a closing receiver discards (scheduler/arena.ts). */
  discard: ((p: Packet) => void) | undefined = undefined;
  /** With an arena: the IP the running non-looper handler received (scheduler/arena.ts). */
  held: Packet | null = null;

  constructor(opts: SchedulerOptions = {}) {
    this.own = opts.checked === false ? uncheckedOwnership : checkedOwnership;
    this.timing = opts.timing ?? false;
    this.budget = opts.budget ?? DEFAULT_BUDGET;
    this.stdout = opts.stdout ?? process.stdout;
    // Timing charges time per activation: a receiver run on its sender's stack would be
    // charged to the sender.
    if (this.timing) this.directLeft = DIRECT_OFF;
  }

  addBox(label: string, componentName: string, component: Component, budget?: number): Box {
    const box = new Box(this, label, componentName, component, budget ?? this.budget);
    box.index = this.boxes.length;
    this.boxes.push(box);
    this.live++;
    return box;
  }

  enqueue(box: Box): void {
    const q = this.queue;
    if (this.qTail - this.qHead === q.length) this.growQueue();
    this.queue[this.qTail & (this.queue.length - 1)] = box;
    this.qTail++;
    const w = this.idleWake;
    if (w !== null) {
      this.idleWake = null;
      w();
    } else if (this.parkedIdle) {
      // Enqueued from this thread's event loop while the scheduler sleeps idle: a busy park
      // that lost its race polled its watched ends late, or a handler settled. Ring our own
      // bell, which also counts this worker active again before anyone can judge quiescence.
      this.parkedIdle = false;
      this.external!.wake();
    }
  }

  private growQueue(): void {
    const old = this.queue;
    const n = old.length * 2;
    const next: (Box | undefined)[] = new Array(n);
    for (let c = this.qHead; c < this.qTail; c++) next[c & (n - 1)] = old[c & (old.length - 1)];
    this.queue = next;
  }

  get readyCount(): number {
    return this.qTail - this.qHead;
  }

  /** Make every box that can start without input READY. Call once before running. */
  start(): void {
    for (const box of this.boxes) {
      const waitsForInput = box.ins.some((p) => p.conn !== null);
      if (!waitsForInput) {
        box.status = READY;
        this.enqueue(box);
      } else {
        box.blockOnInputs(box.ins);
      }
    }
  }

  /**
   * Run at most `max` activations synchronously. Returns how many ran.
   *
   * A resumed looper only gets its pending operation completed here; its body goes on in a
   * microtask. So once a looper was resumed, the slice ends before the next non-looper:
   * that non-looper then finds everything the looper sends in its stretch, not just the one
   * IP of the completed operation (measured: on a 10-box chain fed by a looper this doubled
   * the IPs per activation, from 5.5 to about 10, the capacity).
   */
  runSlice(max: number): number {
    let n = 0;
    let resumed = false;
    while (n < max && this.qHead !== this.qTail && !this.stopped) {
      const mask = this.queue.length - 1;
      const box = this.queue[this.qHead & mask]!;
      if (resumed && !box.looper && box.status === READY) break;
      this.queue[this.qHead & mask] = undefined;
      this.qHead++;
      n++;
      if (box.status !== READY) continue;
      if (box.looper) resumed = true;
      try {
        activate(box);
      } catch (e) {
        this.fail(box, e);
      }
    }
    return n;
  }

  /** Run until the network ends, fails, stops or is quiescent. */
  async run(): Promise<Outcome> {
    const yieldAt = now() + YIELD_INTERVAL_MS;
    const ext = this.external;
    const stopTimeouts = watchTimeouts(this);
    try {
      return await this.loop(ext, yieldAt);
    } finally {
      stopTimeouts();
    }
  }

  private async loop(ext: External | null, yieldAt: number): Promise<Outcome> {
    for (;;) {
      this.beat[this.beatAt]++;
      if (this.outcome !== null) return this.outcome;
      if (ext !== null) {
        ext.flush();
        ext.poll();
      }
      if (this.qHead !== this.qTail) {
        this.runSlice(4096);
        if (this.timing) this.mark = now();
        await null;
        if (now() >= yieldAt) {
          await macrotask();
          yieldAt = now() + YIELD_INTERVAL_MS;
        }
        continue;
      }
      if (this.running > 0) {
        // Loopers are running in microtasks or awaiting I/O. Their wake-ups can keep this
        // loop going without a macrotask turn, so the time check applies here too.
        const idle = new Promise<void>((resolve) => {
          this.idleWake = resolve;
        });
        if (ext === null) await idle;
        else {
          ext.flush();
          // Other workers can wake boxes here too: sleep on the doorbell as well.
          await Promise.race([idle, ext.park(false)]);
          this.idleWake = null;
          ext.resumed();
        }
        if (this.timing) this.mark = now();
        if (now() >= yieldAt) {
          await macrotask();
          yieldAt = now() + YIELD_INTERVAL_MS;
        }
        continue;
      }
      if (ext !== null) {
        // Part of a network of workers: only the main thread can tell the end or a deadlock.
        ext.flush();
        this.parkedIdle = true;
        try {
          await ext.park(true);
        } finally {
          this.parkedIdle = false;
        }
        continue;
      }
      if (this.live === 0) this.settle({ kind: 'finished' });
      else this.settle({ kind: 'quiescent' });
    }
  }

  /** The main thread says the network ended (every worker is idle and every box done). */
  finish(): void {
    this.settle({ kind: 'finished' });
    const w = this.idleWake;
    if (w !== null) {
      this.idleWake = null;
      w();
    }
  }

  // --- transitions called by boxes -------------------------------------------------------

  looperStarted(box: Box): void {
    box.status = RUNNING;
    this.running++;
    const op = (box.op ??= new LooperState());
    if (this.timing || box.timeoutMs > 0) op.runStart = now();
  }

  /**
   * A looper's stretch ends here. A resumed looper's body runs after the slice that resumed
   * it, so its stretch is counted from the later of its resumption and the last mark (the end
   * of a slice or another looper's park): loopers resumed together run one after another in
   * microtasks, and each is charged its own stretch. The runtime cannot see other awaits: a
   * body that awaits a timer, I/O or even a plain value lets other code run in between, and
   * that stretch is then charged to whichever looper parks next (bodies written with the
   * await-only-a-Promise idiom are measured exactly).
   */
  looperParked(box: Box): void {
    if (this.timing) {
      const t = now();
      box.busyMs += t - Math.max(box.op!.runStart, this.mark);
      this.mark = t;
    }
    this.runningDown();
  }

  runningDown(): void {
    if (--this.running === 0) {
      const w = this.idleWake;
      if (w !== null) {
        this.idleWake = null;
        w();
      }
    }
  }

  terminate(box: Box): void {
    if (box.status === DONE) return;
    box.status = DONE;
    this.live--;
    for (const out of box.outs) if (!out.closedByBox && out.conn !== null) out.conn.closeSender();
    for (const inp of box.ins) if (inp.conn !== null) this.totals.dropped += inp.conn.closeReceiver(this.discard);
    if (this.live === 0 && this.running === 0) {
      const w = this.idleWake;
      if (w !== null) {
        this.idleWake = null;
        w();
      }
    }
  }

  /** A box failed: the first failure fails the network. */
  fail(box: Box | null, error: unknown): void {
    if (this.stopped) return;
    this.settle({ kind: 'failed', box, error });
  }

  /** Stop every box (interrupt, deadlock, failure elsewhere). */
  stop(reason: string): void {
    if (this.stopped) return;
    this.settle({ kind: 'stopped', reason });
  }

  /**
   * Nothing in the process can happen any more (the event loop is empty), yet loopers are
   * RUNNING: they await something that will never settle. Stop, and let run() report it.
   */
  stall(): void {
    if (this.stopped || this.outcome !== null) return;
    const boxes = this.boxes.filter((b) => b.status === RUNNING);
    this.settle({ kind: 'stalled', boxes });
  }

  stoppedError(): WeftError {
    return (this.stopError ??= new WeftError('E_STOPPED', 'the network was stopped'));
  }

  private settle(outcome: Outcome): void {
    if (this.outcome === null) this.outcome = outcome;
    if (outcome.kind === 'finished') return;
    if (outcome.kind === 'quiescent') return;
    this.shutdown();
  }

  /** Stop scheduling, abort I/O, and throw E_STOPPED into every suspended looper. */
  shutdown(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.directLeft = DIRECT_OFF;
    this.abort.abort(this.stoppedError());
    const err = this.stoppedError();
    for (const box of this.boxes) {
      if (box.status !== DONE) box.abortPending(err);
    }
    const w = this.idleWake;
    if (w !== null) {
      this.idleWake = null;
      w();
    }
  }

  /**
   * After a stop: resolve once every looper activation has settled (their finally blocks
   * ran), or after `graceMs`, whichever comes first.
   */
  async drained(graceMs: number): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const b of this.boxes) if (b.op !== null && b.op.activation !== null) pending.push(b.op.activation);
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(pending),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** All four totals. */
  allTotals(): Totals {
    let sent = 0;
    let received = 0;
    for (const b of this.boxes) {
      sent += b.ipsOut;
      received += b.ipsIn + handedTo(b);
    }
    return { created: this.totals.created, sent, received, dropped: this.totals.dropped };
  }

  /** Boxes that are not done, for reports. */
  blockedBoxes(): Box[] {
    return this.boxes.filter((b) => b.status === BLOCKED);
  }
}
