/**
 * Box: the running instance of a node, owned by exactly one Scheduler. Every method must be
 * called on that scheduler's thread.
 *
 * States (`status`):
 *   READY    in the run queue
 *   RUNNING  executing: a non-looper inside its activation, or a looper that was started or
 *            resumed and has not parked yet (it may be awaiting a timer or I/O)
 *   BLOCKED  waiting on a port; `waitKind`/`waitPort` say which (the deadlock report reads them)
 *   DONE     terminated; its out-ports are closed
 * Transitions: BLOCKED →wake()→ READY →activate→ RUNNING →park→ BLOCKED | READY (budget)
 *              RUNNING →terminate→ DONE.
 *
 * A looper that cannot complete a port operation *pends* it: the operation (kind, port, the
 * IP to send) is kept in its LooperState with the resolve/reject of a Promise returned to the
 * body. When
 * the scheduler picks the box again it completes the operation itself (resume()) and settles
 * the Promise with the result, so the body continues in one microtask with its answer.
 */
import type { BoxContext, Component, NonLooperComponent, TextSink } from '../component/define.ts';
import type { Waiter } from '../connection/connection.ts';
import { WeftError } from '../errors.ts';
import type { IP, IPKind, Owner, Packet } from '../ip/ip.ts';
import type { ArenaView, ArenaViewType } from '../shm/arena-views.ts';
import { adoptValue, allocFor, dropPacket, freeFor, releasePacket } from './arena.ts';
import type { InPortImpl, OutPortBase, SyncOutPortImpl } from './ports.ts';
import { outboxOverflow } from './ports.ts';
import type { Scheduler } from './scheduler.ts';
import { MAX_OUTBOX } from './tuning.ts';

const NO_PORTS: InPortImpl[] = [];
const NO_PARAMS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export const READY = 0;
export const RUNNING = 1;
export const BLOCKED = 2;
export const DONE = 3;

/** Why a BLOCKED box waits. */
export const W_NONE = 0;
export const W_RECEIVE = 1; // waitPort: the InPortImpl
export const W_SEND = 2; // waitPort: the OutPortBase
export const W_INPUT = 3; // any of its in-ports (before an activation)

/** Pending looper operation. */
export const P_NONE = 0;
export const P_RECEIVE = 1;
export const P_SEND = 2;

export class Box implements Waiter, Owner {
  readonly label: string;
  readonly componentName: string;
  readonly component: Component;
  readonly sched: Scheduler;
  readonly budget: number;
  readonly looper: boolean;
  /** Ownership checks on (the network's mode). */
  readonly checked: boolean;

  ins: InPortImpl[] = [];
  outs: OutPortBase[] = [];
  /** What the component body sees: port name → port or array of ports. */
  inView: Record<string, unknown> = {};
  outView: Record<string, unknown> = {};
  ctx: BoxContextImpl;

  /** Position in its scheduler's list of boxes (what a heartbeat names). */
  index = 0;
  /** Longest a looper may stay RUNNING (awaiting, computing) between port operations; 0: no limit. */
  timeoutMs = 0;

  status = BLOCKED;
  waitKind = W_INPUT;
  waitPort: InPortImpl | OutPortBase | null = null;
  owned = 0;

  // statistics
  ipsIn = 0;
  ipsOut = 0;
  activations = 0;
  busyMs = 0;

  // looper
  opsLeft = 0;
  activationId = 0;
  /** Looper state: the suspended operation and the running activation (loopers only). */
  op: LooperState | null = null;

  /** A send failed because its receiver closed (checked after each non-looper call). */
  sendRefused = false;

  // non-looper
  /** Port/IP pairs waiting for room, from `outboxHead` on; made at first use. */
  outbox: (SyncOutPortImpl | Packet)[] | null = null;
  outboxHead = 0;
  /** IPs waiting in the outbox. */
  outboxCount = 0;
  /** 0 params not read yet, 1 running, 2 `end` was called. */
  phase = 0;
  /** Non-looper: the in-ports with a handler (the same array as `ins` when all have one). */
  streams: InPortImpl[] = NO_PORTS;
  rr = 0;

  constructor(sched: Scheduler, label: string, componentName: string, component: Component, budget: number) {
    this.sched = sched;
    this.label = label;
    this.componentName = componentName;
    this.component = component;
    this.budget = budget;
    this.looper = component.style === 'looper';
    this.checked = sched.own.checked;
    this.ctx = new BoxContextImpl(this);
  }


  /**
   * Waiter: a connection this box waits on changed. A box that is running has its
   * registration used up: `waitKind` says so (W_NONE), so that a receiver run by direct
   * delivery knows it must register again (scheduler/direct.ts).
   */
  wake(): void {
    if (this.status === BLOCKED) {
      this.status = READY;
      this.sched.enqueue(this);
    } else if (this.status === RUNNING) {
      this.waitKind = W_NONE;
    }
  }

  /** Park on `port` until it can make progress. */
  block(kind: number, port: InPortImpl | OutPortBase): void {
    this.status = BLOCKED;
    this.waitKind = kind;
    this.waitPort = port;
    // The connection re-checks its state and wakes us at once if we need not wait:
    // this is the only place a box registers, so no wake-up can be lost.
    if (kind === W_SEND) (port as OutPortBase).conn!.waitNonFull(this);
    else (port as InPortImpl).conn!.waitNonEmpty(this);
  }

  /** Wait for any of the given in-ports (before an activation). */
  blockOnInputs(ports: InPortImpl[]): void {
    this.status = BLOCKED;
    this.waitKind = W_INPUT;
    this.waitPort = null;
    for (const p of ports) {
      if (this.status !== BLOCKED) return;
      if (p.conn !== null && !p.closedByBox) p.conn.waitNonEmpty(this);
    }
  }

  /** Looper: suspend the body on an operation; `yielding` when only the budget ran out. */
  pend(kind: number, port: InPortImpl | OutPortBase, ip: Packet | null, yielding: boolean): Promise<any> {
    const sched = this.sched;
    if (sched.stopped) throw sched.stoppedError();
    const op = (this.op ??= new LooperState());
    if (op.kind !== P_NONE) throw pendingTwice(this);
    op.kind = kind;
    op.port = port;
    op.ip = ip;
    const promise = new Promise((resolve, reject) => {
      op.resolve = resolve;
      op.reject = reject;
    });
    sched.looperParked(this);
    if (yielding) {
      this.status = READY;
      this.waitKind = W_NONE;
      sched.enqueue(this);
    } else {
      this.block(kind === P_SEND ? W_SEND : W_RECEIVE, port);
    }
    return promise;
  }

  /** Whether a looper has a suspended operation to complete. */
  get pending(): boolean {
    return this.op !== null && this.op.kind !== P_NONE;
  }

  /**
   * Scheduler: complete the pending operation. Returns false (and parks again) when it still
   * cannot complete (a wake-up shared with another sender, or a budget yield on a port that
   * is not ready).
   */
  resume(): boolean {
    const op = this.op!;
    const port = op.port!;
    let result: boolean | Packet | null | undefined;
    if (op.kind === P_RECEIVE) {
      result = (port as InPortImpl).take();
      if (result === undefined) {
        this.block(W_RECEIVE, port);
        return false;
      }
    } else {
      result = (port as OutPortBase).put(op.ip!);
      if (result === undefined) {
        this.block(W_SEND, port);
        return false;
      }
    }
    const resolve = op.resolve!;
    op.clear();
    this.opsLeft = this.budget;
    resolve(result);
    return true;
  }

  /** Network stopping: throw E_STOPPED into a suspended body so its finally blocks run. */
  abortPending(err: unknown): void {
    const op = this.op;
    if (op === null || op.reject === null) return;
    const reject = op.reject;
    const unsent = op.kind === P_SEND ? op.ip : null;
    op.clear();
    if (unsent !== null && this.sched.arena !== null) {
      try {
        releasePacket(this.sched, unsent); // the send will never complete: free its block
      } catch {
        // freed twice by the box: nothing left to free
      }
    }
    reject(err);
  }

  createPacket(kind: IPKind, value: unknown): Packet {
    this.sched.totals.created++;
    if (this.sched.arena !== null && kind === 'data') adoptValue(this.sched, value);
    return this.sched.own.create(this, kind, value);
  }

  /** A new IP already in flight (emit, brackets): counted as created, owned by nobody. */
  freshPacket(kind: IPKind, value: unknown): Packet {
    this.sched.totals.created++;
    if (this.sched.arena !== null && kind === 'data') adoptValue(this.sched, value);
    return this.sched.own.inFlight(kind, value);
  }

  pushOutbox(port: SyncOutPortImpl, p: Packet): void {
    if (this.outbox === null) this.outbox = [];
    if (this.outboxCount >= MAX_OUTBOX) outboxOverflow(this);
    this.outbox.push(port, p);
    this.outboxCount++;
  }

  /** Non-looper: move the outbox into its connections. False: blocked on a full one. */
  flushOutbox(): boolean {
    const ob = this.outbox!;
    let i = this.outboxHead;
    while (i < ob.length) {
      const port = ob[i] as SyncOutPortImpl;
      if (port.put(ob[i + 1] as Packet) === undefined) {
        this.outboxHead = i;
        this.block(W_SEND, port);
        return false;
      }
      ob[i] = ob[i + 1] = undefined as never;
      i += 2;
      this.outboxCount--;
    }
    ob.length = 0;
    this.outboxHead = 0;
    return true;
  }

  /** Every connected out-port was closed by its receiver (and there is at least one). */
  allOutputsClosed(): boolean {
    let connected = 0;
    for (const o of this.outs) {
      if (o.conn === null) continue;
      connected++;
      if (!o.conn.receiverClosed && !o.closedByBox) return false;
    }
    return connected > 0;
  }

}

/**
 * A looper's own state, made at its first activation: the suspended port operation with the
 * settle functions of its Promise, the running activation (awaited, bounded, when the network
 * stops) and, with timing on, when its current stretch began. Kept off the Box so that
 * non-loopers do not pay for it.
 */
export class LooperState {
  activation: Promise<void> | null = null;
  runStart = 0;
  /** Of the box's ipsIn, the IIPs handed out by IIP ports (they do not count as progress). */
  iipsIn = 0;
  kind = P_NONE;
  port: InPortImpl | OutPortBase | null = null;
  ip: Packet | null = null;
  resolve: ((v: unknown) => void) | null = null;
  reject: ((e: unknown) => void) | null = null;
  clear(): void {
    this.kind = P_NONE;
    this.port = null;
    this.ip = null;
    this.resolve = this.reject = null;
  }
}

/** The `ctx` handed to component bodies. */
export class BoxContextImpl implements BoxContext {
  private readonly box: Box;
  /** Non-looper: param values and per-box state. */
  params: Record<string, unknown> = NO_PARAMS;
  state: unknown = undefined;
  /** Non-looper: array element of the stream port the current IP came from (0 for plain ports). */
  element = 0;

  constructor(box: Box) {
    this.box = box;
  }
  get name(): string {
    return this.box.label;
  }
  get signal(): AbortSignal {
    return this.box.sched.abort.signal;
  }
  get stdout(): TextSink {
    return this.box.sched.stdout;
  }
  create<T>(data: T): any {
    return this.box.createPacket('data', data);
  }
  openBracket(group?: string): any {
    return this.box.createPacket('open', group);
  }
  closeBracket(group?: string): any {
    return this.box.createPacket('close', group);
  }
  drop(ip: IP<unknown>): void {
    const box = this.box;
    box.sched.own.drop(box, ip);
    box.sched.totals.dropped++;
    if (box.sched.arena !== null) dropPacket(box.sched, ip as Packet);
  }
  alloc<T extends ArenaViewType>(type: T, length: number, opts?: { zero?: boolean }): InstanceType<T> {
    return allocFor(this.box, type, length, opts?.zero !== false);
  }
  free(view: ArenaView): void {
    freeFor(this.box, view);
  }
}

/**
 * A looper started a port operation while the previous one was still waiting: it did not
 * await the Promise it got. Going on would queue the box twice and spin; stop it instead.
 */
function pendingTwice(box: Box): WeftError {
  return new WeftError(
    'E_BOX_FAILED',
    `looper ${box.label} (${box.componentName}) started a port operation before the previous one completed; await the Promise a port operation returns (or use the idiom: let x = port.receive(); if (x instanceof Promise) x = await x)`,
  );
}

export function leakError(box: Box): WeftError {
  return new WeftError(
    'E_LEAK',
    `box ${box.label} (${box.componentName}) ended an activation still owning ${box.owned} IP${box.owned === 1 ? '' : 's'}; send or drop every IP it receives or creates`,
  );
}

export function isNonLooper(c: Component): c is NonLooperComponent {
  return c.style === 'non-looper';
}
