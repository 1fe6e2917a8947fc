/**
 * Network: a running graph on one scheduler: start, wait for the outcome, stop, statistics.
 *
 * Outcomes and the exit codes the CLI maps them to:
 *   finished    0  every box terminated
 *   failed      1  a box threw, rejected, leaked IPs or broke ownership (the report names it)
 *   deadlock    3  quiescent with live boxes: the report lists every blocked box and the cycle;
 *                  or stalled: the process ran out of work while loopers awaited promises that
 *                  nothing can settle (`stalled` names them)
 *   interrupted 130 stop() was called (Ctrl-C)
 * However it ends, every box is stopped: suspended loopers get E_STOPPED thrown at their
 * await (so their finally blocks run) and the abort signal fires for pending I/O.
 *
 * Shared arena: after the end (and the stopped loopers' grace period), the blocks of every IP
 * still reachable are freed (scheduler/arena.ts releaseLeftovers); the arena's counters go in
 * `stats.arena`, and blocks still live then are reported through `onWarning` (nothing should
 * hold one once the network has ended), without changing the status.
 */
import { isWeftError } from '../errors.ts';
import type { Box } from '../scheduler/box.ts';
import { BLOCKED, DONE, READY, RUNNING, W_INPUT, W_SEND } from '../scheduler/box.ts';
import { edgeLabel, type InPortImpl, type OutPortBase } from '../scheduler/ports.ts';
import { handedTo } from '../scheduler/direct.ts';
import type { Totals } from '../scheduler/scheduler.ts';
import { STOP_GRACE_MS } from '../scheduler/tuning.ts';
import { releaseLeftovers } from '../scheduler/arena.ts';
import { formatBytes, type ArenaStats } from '../shm/arena.ts';
import type { BuiltNetwork } from './build.ts';
import { deadlockReport, type DeadlockReport, type WaitInfo } from './termination.ts';

export type RunStatus = 'finished' | 'failed' | 'deadlock' | 'interrupted';

export const EXIT_CODES: Record<RunStatus, number> = { finished: 0, failed: 1, deadlock: 3, interrupted: 130 };

export interface BoxFailure {
  box: string;
  component: string;
  message: string;
  code?: string;
  stack?: string;
  error: unknown;
  /** Several workers: the worker that ran the box. */
  worker?: number;
}

export interface BoxStats {
  box: string;
  component: string;
  state: 'ready' | 'running' | 'blocked' | 'done';
  ipsIn: number;
  ipsOut: number;
  activations: number;
  /** Milliseconds spent in the box (only with timing on, else 0). */
  busyMs: number;
}

export interface ConnectionStats {
  edge: string;
  carried: number;
  maxFill: number;
  capacity: number;
  fill: number;
}

export interface NetworkStats {
  elapsedMs: number;
  /** Whether time per box was measured (busyMs is 0 otherwise). */
  timing: boolean;
  totals: Totals;
  boxes: BoxStats[];
  connections: ConnectionStats[];
  /** Several workers: boxes the watchdog saw hold a worker past its threshold. */
  hogs?: { box: string; component: string; worker: number; ms: number }[];
  /** Several workers: per worker, what its scheduler did. */
  workers?: WorkerStats[];
  /** The shared arena, when the network has one: its counters once the network ended. */
  arena?: ArenaStats;
}

export interface WorkerStats {
  worker: number;
  boxes: number;
  activations: number;
  /** IPs this worker's boxes sent into / took from rings and shared queues (other workers). */
  ringOut: number;
  ringIn: number;
  /** Wall time the worker was running its scheduler, and parked on its doorbell, ms. */
  busyMs: number;
  idleMs: number;
}

export interface RunResult {
  status: RunStatus;
  exitCode: number;
  stats: NetworkStats;
  failure?: BoxFailure;
  deadlock?: DeadlockReport;
  /** A stall (status `deadlock`): loopers awaiting promises that nothing can settle. */
  stalled?: { box: string; component: string }[];
  /** For `interrupted`: why it was stopped. */
  reason?: string;
}

export class Network {
  private readonly built: BuiltNetwork;
  private startedAt = 0;
  private endedAt = 0;
  private result: Promise<RunResult> | null = null;

  constructor(
    built: BuiltNetwork,
    /** Where a warning about arena blocks still held at the end goes (none: not reported). */
    private readonly onWarning?: (text: string) => void,
  ) {
    this.built = built;
  }

  /** Start (once) and resolve with the outcome. */
  run(): Promise<RunResult> {
    this.result ??= this.runOnce();
    return this.result;
  }

  private async runOnce(): Promise<RunResult> {
    const { sched } = this.built;
    this.startedAt = performance.now();
    // The event loop emptying while the network runs means its running loopers await
    // promises nothing can settle: a stall, reported instead of a silent exit.
    const onBeforeExit = () => sched.stall();
    process.on('beforeExit', onBeforeExit);
    sched.start();
    let outcome;
    try {
      outcome = await sched.run();
    } finally {
      process.off('beforeExit', onBeforeExit);
    }
    let result: RunResult;
    if (outcome.kind === 'stalled') {
      result = this.finish('deadlock', { stalled: outcome.boxes.map((b) => ({ box: b.label, component: b.componentName })) });
      this.endArena(result);
      return result; // the stalled boxes will never finish: no grace period to wait out
    } else if (outcome.kind === 'quiescent') {
      const report = deadlockReport(this.waits());
      sched.stop('deadlock');
      result = this.finish('deadlock', { deadlock: report });
    } else if (outcome.kind === 'failed') {
      result = this.finish('failed', { failure: describeFailure(outcome.box, outcome.error) });
    } else if (outcome.kind === 'stopped') {
      result = this.finish('interrupted', { reason: outcome.reason });
    } else {
      result = this.finish('finished', {});
    }
    if (result.status !== 'finished') await sched.drained(STOP_GRACE_MS);
    this.endArena(result);
    return result;
  }

  /** With a shared arena: free what the ended network still holds, and report the counters. */
  private endArena(result: RunResult): void {
    const { sched } = this.built;
    if (sched.arena === null) return;
    releaseLeftovers(sched);
    const a = sched.arena.arena.stats();
    result.stats.arena = a;
    if (a.liveBlocks > 0 && this.onWarning) this.onWarning(arenaWarning(a));
  }

  private finish(status: RunStatus, extra: Partial<RunResult>): RunResult {
    this.endedAt = performance.now();
    return { status, exitCode: EXIT_CODES[status], stats: this.stats(), ...extra };
  }

  /** Stop every box; run() then resolves with `interrupted`. */
  stop(reason = 'interrupted'): void {
    this.built.sched.stop(reason);
  }

  stats(): NetworkStats {
    const { sched, boxes, connections } = this.built;
    const end = this.endedAt || performance.now();
    return {
      elapsedMs: this.startedAt ? end - this.startedAt : 0,
      timing: sched.timing,
      totals: sched.allTotals(),
      boxes: [...boxes.values()].map((b) => ({
        box: b.label,
        component: b.componentName,
        state: stateName(b),
        ipsIn: b.ipsIn + handedTo(b),
        ipsOut: b.ipsOut,
        activations: b.activations + handedTo(b),
        busyMs: b.busyMs,
      })),
      connections: connections.map((to) => {
        const c = to.conn!;
        return {
          edge: edgeLabel(to),
          carried: c.carried + to.handed,
          maxFill: to.handed > 0 ? Math.max(1, c.maxFill) : c.maxFill,
          capacity: c.capacity,
          fill: c.size,
        };
      }),
    };
  }

  /** Counts of boxes by state and of sends so far (IP moves), for a live status line. */
  activity(): { active: number; blocked: number; done: number; sends: number } {
    let active = 0;
    let blocked = 0;
    let done = 0;
    for (const b of this.built.boxes.values()) {
      if (b.status === DONE) done++;
      else if (b.status === BLOCKED) blocked++;
      else active++;
    }
    return { active, blocked, done, sends: this.built.sched.allTotals().sent };
  }

  /** The wait of every blocked box (the deadlock report's data). */
  waits(): WaitInfo[] {
    const out: WaitInfo[] = [];
    for (const b of this.built.boxes.values()) {
      if (b.status !== BLOCKED) continue;
      out.push(waitOf(b));
    }
    return out;
  }
}

function waitOf(b: Box): WaitInfo {
  const base = { box: b.label, component: b.componentName };
  if (b.waitKind === W_INPUT || b.waitPort === null) {
    const waitsOn = new Set<string>();
    for (const p of b.ins) if (p.conn && !p.conn.closed && !p.closedByBox) for (const s of p.senders()) if (s.box.status !== DONE) waitsOn.add(s.box.label);
    return { ...base, kind: 'input', waitsOn: [...waitsOn] };
  }
  if (b.waitKind === W_SEND) {
    const p = b.waitPort as OutPortBase;
    return {
      ...base,
      kind: 'send',
      port: p.name,
      edge: p.to ? edgeLabel(p.to) : undefined,
      fill: p.conn?.size,
      capacity: p.conn?.capacity,
      waitsOn: p.to ? [p.to.box.label] : [],
    };
  }
  const p = b.waitPort as InPortImpl;
  return {
    ...base,
    kind: 'receive',
    port: p.name,
    edge: edgeLabel(p),
    fill: p.conn?.size,
    capacity: p.conn?.capacity,
    waitsOn: [...new Set(p.senders().filter((s) => s.box.status !== DONE).map((s) => s.box.label))],
  };
}

function stateName(b: Box): BoxStats['state'] {
  switch (b.status) {
    case READY:
      return 'ready';
    case RUNNING:
      return 'running';
    case BLOCKED:
      return 'blocked';
    default:
      return 'done';
  }
}

/** The warning for arena blocks still live once a network has ended. */
export function arenaWarning(a: ArenaStats): string {
  const n = a.liveBlocks;
  return `shared arena: ${n} block${n === 1 ? '' : 's'} (${formatBytes(a.inUse)}) still held after the network ended; a box kept an arena view without sending or dropping its IP, allocated one (ctx.alloc) and neither sent nor freed it, or was stopped holding one`;
}

export function describeFailure(box: Box | null, error: unknown): BoxFailure {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    box: box?.label ?? '<network>',
    component: box?.componentName ?? '',
    message: e.message,
    code: isWeftError(e) ? e.code : undefined,
    stack: e.stack,
    error,
  };
}
