/**
 * MultiNetwork: a network run on several worker threads, seen from the main thread. Same
 * surface as Network (run, stop, stats, activity), same RunResult and exit codes.
 *
 * The main thread runs no box. It places the boxes (placement/), makes one ring per edge that
 * crosses workers and the doorbells, starts the workers (protocol.ts), and then only listens:
 * output to print, quiescence to judge (the end, or a deadlock over all workers' wait-for
 * edges), results to merge. A worker that cannot start, or dies (out of memory too, under
 * `workerHeapMiB`), is reported with the boxes it hosted, and the others are stopped. A worker
 * that has not reported STOP_GRACE_MS + STOP_MARGIN_MS after it was told to stop (a box in a
 * synchronous loop never lets it read the message) is terminated: the run always ends.
 *
 * The shared arena (when the network has one) is made here with the rings; its counters are
 * read here, once every worker has reported (each freed what its boxes still held), for
 * `stats.arena`, and blocks still live then are a warning (onWarning), as on one thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TextSink } from '../component/define.ts';
import { WeftError } from '../errors.ts';
import type { Graph } from '../graph/graph.ts';
import type { BuildOptions } from '../network/build.ts';
import { arenaWarning, EXIT_CODES, type BoxFailure, type NetworkStats, type RunResult, type RunStatus } from '../network/network.ts';
import type { Registry } from '../network/registry.ts';
import { deadlockReport, type DeadlockReport, type WaitInfo } from '../network/termination.ts';
import { place, type Placement } from '../placement/placement.ts';
import { STOP_GRACE_MS } from '../scheduler/tuning.ts';
import { Arena } from '../shm/arena.ts';
import { activeWorkers } from '../shm/doorbell.ts';
import { expandParallel } from '../network/parallel.ts';
import { BEAT_STRIDE, DEFAULT_WATCHDOG_MS, Watchdog, type WatchedBox } from './watchdog.ts';
import { nodeTimeout } from '../network/build.ts';
import { workerInits } from './shares.ts';
import { workerStart } from './bundle.ts';
import type { Activity, FromWorker, ToWorker, WireFailure, WireResult } from './protocol.ts';

export const defaultWorkers = () => availableParallelism();

export interface MultiOptions extends BuildOptions {
  workers: number;
  components: string[];
  /** Report a box that holds its worker this long without a port operation (default 1000 ms). */
  watchdogMs?: number;
  /** Where watchdog warnings go (default: stderr, prefixed `weft: `). */
  onWarning?: (text: string) => void;
  /** Pin worker K to core K (Linux). */
  pin?: boolean;
  /** Heap limit of each worker, MiB (resourceLimits.maxOldGenerationSizeMb). */
  workerHeapMiB?: number;
}

/**
 * How long, beyond its own grace for stopped loopers (STOP_GRACE_MS), a worker told to stop may
 * take to report before it is terminated (one that is not stuck reports within the grace).
 */
export const STOP_MARGIN_MS = 1000;

export class MultiNetwork {
  readonly placement: Placement;
  readonly graph: Graph;
  private readonly opts: MultiOptions;
  private readonly registry: Registry;
  private readonly stdout: TextSink;
  private workers: Worker[] = [];
  private results: (WireResult | null)[] = [];
  private lastActivity: Activity[] = [];
  private result: Promise<RunResult> | null = null;
  private startedAt = 0;
  private endedAt = 0;
  private stopReason: string | null = null;
  private outcome: { status: RunStatus; extra: Partial<RunResult> } | null = null;
  /** Called whenever the workers are told to stop: arms the deadline (set by runOnce). */
  private stopping: () => void = () => {};
  /** Ask the running workers for their activity (set by runOnce). */
  private poll: () => void = () => {};

  constructor(graph: Graph, registry: Registry, opts: MultiOptions) {
    this.registry = registry;
    this.opts = opts;
    this.stdout = opts.stdout ?? process.stdout;
    for (const n of graph.nodes) {
      const e = registry.entry(n.component);
      if (!e || e.kind !== 'component' || (!e.file && !registry.isBuiltin(n.component))) {
        throw new WeftError(
          'E_USAGE',
          `component ${n.component} (node ${n.id}) was registered from code; workers load components by module: put it in a components directory, or run on one worker`,
        );
      }
    }
    this.graph = expandParallel(graph, opts.workers);
    this.placement = place(this.graph, opts.workers);
    this.beats = new SharedArrayBuffer(4 * BEAT_STRIDE * opts.workers);
    const beat = new Int32Array(this.beats); // no box yet: lastBox() names none until one runs
    for (let w = 0; w < opts.workers; w++) beat[w * BEAT_STRIDE + 1] = -1;
    this.watched = Array.from({ length: opts.workers }, () => []);
    for (const node of this.graph.nodes) {
      this.watched[this.placement.worker.get(node.id)!].push({ label: node.id, component: node.component, timeoutMs: nodeTimeout(node) });
    }
  }

  run(): Promise<RunResult> {
    this.result ??= this.runOnce();
    return this.result;
  }

  /** The boxes worker w hosted, each with its component: `X (workers/Exit)`. */
  private hosted(w: number): string[] {
    return this.watched[w].map((b) => `${b.label} (${b.component})`);
  }

  /** The box worker w activated last (its heartbeat), if it is running one. */
  private lastBox(w: number): WatchedBox | undefined {
    return this.watched[w][Atomics.load(new Int32Array(this.beats), w * BEAT_STRIDE + 1)];
  }

  /** Why a worker died, from its 'error' event (an exception, or its heap limit). */
  private deathOf(e: unknown): string {
    if ((e as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const limit = this.opts.workerHeapMiB;
      return `ran out of memory (${limit === undefined ? "V8's default heap limit" : `its heap limit: ${limit} MiB, set by --worker-heap / workerHeapMiB`})`;
    }
    return `failed: ${e instanceof Error ? e.message : String(e)}`;
  }

  private async runOnce(): Promise<RunResult> {
    const start = await workerStart(); // a stop() meanwhile is answered once the workers are ready
    const inits = workerInits(this.graph, this.placement.worker, this.registry, this.opts, this.beats);
    this.arena = inits[0].arena === undefined ? null : new Arena(inits[0].arena);
    const n = inits.length;
    this.results = new Array(n).fill(null);
    let ready = 0;
    let snapshots: ({ live: number; ready: number; waits: WaitInfo[] } | null)[] = [];
    let judging = false;
    /** A worker reported quiescence again while a judgement was under way. */
    let again = false;
    const bells = new Int32Array(inits[0].doorbells);
    const judge = () => {
      judging = true;
      again = false;
      snapshots = new Array(n).fill(null);
      broadcast({ t: 'snapshot' });
    };
    let resolveAll!: () => void;
    const allDone = new Promise<void>((r) => (resolveAll = r));
    const exited = new Array(n).fill(false);
    let pinWarned = false;
    const exits: Promise<void>[] = [];

    const send = (w: number, m: ToWorker) => {
      if (!exited[w]) this.workers[w].postMessage(m);
    };
    const broadcast = (m: ToWorker) => {
      if (m.t === 'stop') this.stopping();
      for (let w = 0; w < n; w++) if (this.results[w] === null) send(w, m);
    };
    this.poll = () => broadcast({ t: 'activity' });
    const settleWorker = (w: number, r: WireResult) => {
      if (this.results[w] !== null) return;
      this.results[w] = r;
      this.watchdog?.workerDone(w);
      if (r.status !== 'finished' && r.status !== 'interrupted') this.fail(r.status, r);
      if (this.outcome !== null) broadcast({ t: 'stop', reason: this.outcome.status });
      if (this.results.every((x) => x !== null)) resolveAll();
    };
    const deadWorker = (w: number, why: string) => {
      exited[w] = true;
      if (this.results[w] !== null) return;
      const boxes = this.hosted(w);
      const last = this.lastBox(w);
      const message = `worker ${w} ${why}; it hosted ${boxes.length} box${boxes.length === 1 ? '' : 'es'}: ${boxes.join(', ')}${last ? `; the box it activated last: ${last.label}` : ''}`;
      settleWorker(w, { status: 'failed', stats: emptyStats(), failure: { box: `<worker ${w}>`, component: '', message }, lateDrops: 0 });
    };
    // Once the workers are told to stop: terminate those that have not reported in time.
    let deadline: NodeJS.Timeout | null = null;
    this.stopping = () => {
      deadline ??= setTimeout(() => {
        for (let w = 0; w < n; w++) {
          if (this.results[w] !== null) continue;
          const last = this.lastBox(w);
          this.warn(`worker ${w} did not stop within ${STOP_GRACE_MS + STOP_MARGIN_MS} ms${last ? ` (the box it activated last: ${last.label} (${last.component}))` : ''}; it was terminated`);
          void this.workers[w].terminate();
          settleWorker(w, { status: 'interrupted', stats: emptyStats(), lateDrops: 0 });
        }
      }, STOP_GRACE_MS + STOP_MARGIN_MS);
    };

    for (let w = 0; w < n; w++) {
      const heap = this.opts.workerHeapMiB;
      const worker = new Worker(start.file, { workerData: { ...start.data, init: inits[w] }, resourceLimits: heap === undefined ? undefined : { maxOldGenerationSizeMb: heap } });
      this.workers.push(worker);
      worker.on('message', (m: FromWorker) => {
        switch (m.t) {
          case 'ready':
            if (m.unpinned !== undefined && !pinWarned) {
              pinWarned = true;
              (this.opts.onWarning ?? ((t: string) => process.stderr.write(`weft: ${t}\n`)))(`--pin: worker ${w} could not be pinned (${m.unpinned}); running unpinned`);
            }
            if (++ready === n && this.stopReason === null) {
              // The network's time counts from here (worker start-up is not part of it).
              this.startedAt = performance.now();
              broadcast({ t: 'start' });
              this.startWatchdog(inits[0].doorbells, (k) => {
                broadcast({ t: 'stop', reason: 'failed' });
                void this.workers[k].terminate();
              });
            }
            else if (ready === n) broadcast({ t: 'stop', reason: this.stopReason! });
            break;
          case 'startup-error':
            this.fail('failed', { failure: { box: `<worker ${w}>`, component: '', message: `worker ${w} could not start: ${m.message}`, code: m.code, stack: m.stack } });
            this.results[w] = { status: 'failed', stats: emptyStats(), lateDrops: 0 };
            for (let k = 0; k < n; k++) if (k !== w) void this.workers[k].terminate();
            resolveAll();
            break;
          case 'out':
            this.output(w, m.text, send);
            break;
          case 'activity':
            this.lastActivity[w] = m.activity;
            break;
          case 'quiescent':
            if (this.outcome !== null) break;
            if (judging) again = true;
            else judge();
            break;
          case 'snapshot': {
            snapshots[w] = { live: m.live, ready: m.ready, waits: m.waits };
            this.lastActivity[w] = m.activity;
            if (!judging || snapshots.some((s) => s === null)) break;
            judging = false;
            if (again || activeWorkers(bells) > 0 || snapshots.some((s) => s!.ready > 0)) {
              // Stale: some worker woke while the snapshots were taken. Judge again once every
              // worker is idle (its next quiescence message says so, unless it came already).
              if (activeWorkers(bells) === 0 && this.outcome === null) judge();
              break;
            }
            const live = snapshots.reduce((a, s) => a + s!.live, 0);
            if (live === 0) broadcast({ t: 'finish' });
            else {
              const waits = snapshots.flatMap((s) => s!.waits);
              this.fail('deadlock', { deadlock: deadlockReport(waits) });
              broadcast({ t: 'stop', reason: 'deadlock' });
            }
            break;
          }
          case 'result':
            settleWorker(w, m.result);
            break;
        }
      });
      worker.on('error', (e) => deadWorker(w, this.deathOf(e)));
      worker.on('exit', (code) => deadWorker(w, `exited with code ${code} before its boxes finished`));
      exits.push(new Promise<void>((resolve) => worker.once('exit', () => resolve())));
    }

    await allDone;
    if (deadline !== null) clearTimeout(deadline);
    this.watchdog?.stop();
    this.endedAt = performance.now();
    await this.reap(exits);
    return this.finalResult();
  }

  /**
   * Print a worker's output and acknowledge it, at once while the sink takes it, else after
   * its 'drain' (one listener for all the acknowledgements held back meanwhile).
   */
  private output(w: number, text: string, send: (w: number, m: ToWorker) => void): void {
    if (this.heldAcks !== null) {
      this.stdout.write(text);
      this.heldAcks.push([w, text.length]);
      return;
    }
    if (this.stdout.write(text)) {
      send(w, { t: 'ack', bytes: text.length });
      return;
    }
    const held: [number, number][] = [[w, text.length]];
    this.heldAcks = held;
    this.stdout.once('drain', () => {
      this.heldAcks = null;
      for (const [k, bytes] of held) send(k, { t: 'ack', bytes });
    });
  }
  private heldAcks: [number, number][] | null = null;
  /** The network's shared arena, when it has one. */
  private arena: Arena | null = null;
  private readonly beats: SharedArrayBuffer;
  /** Per worker, its boxes in the order its scheduler numbers them (what a heartbeat names). */
  private readonly watched: WatchedBox[][];
  private watchdog: Watchdog | null = null;

  /** The watchdog over the workers' heartbeats (started once every worker is ready). */
  private startWatchdog(doorbells: SharedArrayBuffer, terminate: (w: number) => void): void {
    const boxes = this.watched;
    const warn = (t: string) => this.warn(t);
    this.watchdog = new Watchdog(
      new Int32Array(this.beats),
      new Int32Array(doorbells),
      boxes,
      this.opts.watchdogMs ?? DEFAULT_WATCHDOG_MS,
      (h) => warn(`watchdog: box ${h.box} (${h.component}) on worker ${h.worker} has run ${h.ms} ms without reaching a port operation`),
      (h, timeoutMs) => {
        const message = `box ${h.box} (${h.component}) went ${h.ms} ms without a port operation (its timeout is ${timeoutMs} ms); worker ${h.worker} was stopped`;
        this.fail('failed', { failure: { box: h.box, component: h.component, message, code: 'E_TIMEOUT', worker: h.worker } });
        terminate(h.worker);
      },
    );
    this.watchdog.start();
  }

  /** Warnings: the watchdog's, and arena blocks held at the end (default: stderr). */
  private warn(text: string): void {
    if (this.opts.onWarning) this.opts.onWarning(text);
    else process.stderr.write(`weft: ${text}\n`);
  }

  /** Wait briefly for the workers to exit by themselves, then terminate the stragglers. */
  private async reap(exits: Promise<void>[]): Promise<void> {
    await Promise.all(
      exits.map((exited, w) => {
        let t: NodeJS.Timeout | undefined;
        const late = new Promise<void>((resolve) => {
          t = setTimeout(() => void this.workers[w].terminate().then(() => resolve()), STOP_GRACE_MS);
        });
        return Promise.race([exited, late]).finally(() => clearTimeout(t));
      }),
    );
  }

  /** The first non-normal outcome wins (a failure, a deadlock, a stall). */
  private fail(status: RunStatus, r: { failure?: WireFailure; deadlock?: DeadlockReport; stalled?: RunResult['stalled'] }): void {
    if (this.outcome !== null) return;
    const extra: Partial<RunResult> = {};
    if (r.failure) extra.failure = { ...r.failure, error: Object.assign(new Error(r.failure.message), { stack: r.failure.stack }) } as BoxFailure;
    if (r.deadlock) extra.deadlock = r.deadlock;
    if (r.stalled) extra.stalled = r.stalled;
    this.outcome = { status, extra };
  }

  private finalResult(): RunResult {
    let status: RunStatus = 'finished';
    let extra: Partial<RunResult> = {};
    if (this.outcome !== null) ({ status, extra } = this.outcome);
    else if (this.stopReason !== null || this.results.some((r) => r?.status === 'interrupted')) {
      status = 'interrupted';
      extra = { reason: this.stopReason ?? this.results.find((r) => r?.reason)?.reason };
    }
    const stats = this.stats();
    if (stats.arena !== undefined && stats.arena.liveBlocks > 0) this.warn(arenaWarning(stats.arena));
    return { status, exitCode: EXIT_CODES[status], stats, ...extra };
  }

  stop(reason = 'interrupted'): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    for (let w = 0; w < this.workers.length; w++) if (this.results[w] === null) this.workers[w].postMessage({ t: 'stop', reason } satisfies ToWorker);
    if (this.workers.length > 0) this.stopping();
  }

  /** Merged statistics of the workers that reported (all of them once run() resolved). */
  stats(): NetworkStats {
    const s = emptyStats();
    s.elapsedMs = this.startedAt ? (this.endedAt || performance.now()) - this.startedAt : 0;
    s.timing = !!this.opts.timing;
    const order = new Map(this.graph.nodes.map((nd, i) => [nd.id, i]));
    for (const r of this.results) {
      if (r === null) continue;
      const t = r.stats.totals;
      s.totals.created += t.created;
      s.totals.sent += t.sent;
      s.totals.received += t.received;
      s.totals.dropped += t.dropped + r.lateDrops;
      // Loops, not push(...xs): a worker may report a million boxes.
      for (const b of r.stats.boxes) s.boxes.push(b);
      if (r.worker) (s.workers ??= []).push(r.worker);
      for (const c of r.stats.connections) s.connections.push(c);
    }
    s.boxes.sort((a, b) => (order.get(a.box) ?? 0) - (order.get(b.box) ?? 0));
    if (this.watchdog !== null) s.hogs = [...this.watchdog.hogs.values()];
    if (this.arena !== null) s.arena = this.arena.stats();
    s.workers?.sort((a, b) => a.worker - b.worker);
    return s;
  }

  /** The workers' figures as last reported; asks them for fresh ones for the next call. */
  activity(): Activity {
    this.poll();
    const a = { active: 0, blocked: 0, done: 0, sends: 0 };
    for (const x of this.lastActivity) if (x) for (const k of ['active', 'blocked', 'done', 'sends'] as const) a[k] += x[k];
    return a;
  }
}

function emptyStats(): NetworkStats {
  return { elapsedMs: 0, timing: false, totals: { created: 0, sent: 0, received: 0, dropped: 0 }, boxes: [], connections: [] };
}
