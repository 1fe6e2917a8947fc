/**
 * Port implementations: the InPort / OutPort objects component code calls, written over
 * connection/ ends. Every method here must be called on the box's own scheduler thread.
 *
 * Fast path: a receive from a non-empty connection or a send into a non-full one returns a
 * plain value and creates no Promise. Slow path: the box *pends* the operation (box.ts) and
 * gets a Promise that the scheduler settles when it resumes the box, after completing the
 * operation on the box's behalf. Either way one port operation is one unit of the box's budget.
 *
 * IIP ports (an IIP and no edge) hand out the IIP once per activation; a second receive in the
 * same activation is end of stream (Morrison). An unconnected in-port is at end of stream.
 */
import type { InPort, OutPort, SyncOutPort } from '../component/define.ts';
import type { InConnection, OutConnection } from '../connection/connection.ts';
import { closedConnection } from '../connection/local-queue.ts';
import { WeftError } from '../errors.ts';
import { acquireChecked, detachChecked, passChecked, sentChecked, type CheckedPacket, type IP, type Packet } from '../ip/ip.ts';
import { releasePacket } from './arena.ts';
import type { Box } from './box.ts';
import { P_RECEIVE, P_SEND } from './box.ts';
import { canDeliver, deliverDirect } from './direct.ts';
import { MAX_OUTBOX } from './tuning.ts';

export class InPortImpl implements InPort<unknown> {
  readonly box: Box;
  /** Declared port name (`in`); `name` adds the element (`in[2]`). */
  readonly port: string;
  /** Element index for array ports, -1 for plain ports. */
  readonly index: number;
  conn: InConnection<Packet> | null = null;
  /** An IIP and no edge: the value, and the activation that last received it (loopers). */
  iip: { value: unknown; activation: number } | null = null;
  closedByBox = false;
  /**
   * For reports: the out-port sending into this port, or the list of them (fan-in), or null
   * (unconnected or IIP). One sender is kept without an array to keep idle boxes small.
   */
  from: OutPortBase | readonly OutPortBase[] | null = null;
  /** Non-looper stream ports: the handler called for each IP. */
  handler: ((ip: IP<unknown>, out: unknown, ctx: unknown) => void) | null = null;
  /**
   * IPs handed to this port's handler directly (scheduler/direct.ts). Counted here only, so
   * that a direct hop updates one counter: statistics add it to the box's IPs in and
   * activations and to the connection's IPs carried (handedTo).
   */
  handed = 0;

  constructor(box: Box, name: string, index: number) {
    this.box = box;
    this.port = name;
    this.index = index;
  }

  /** `in`, or `in[2]` for an element (made when asked: reports only; no field per port). */
  get name(): string {
    return this.index < 0 ? this.port : `${this.port}[${this.index}]`;
  }

  get connected(): boolean {
    return this.conn !== null || this.iip !== null;
  }

  get queued(): number {
    const c = this.conn;
    if (c !== null) return this.closedByBox ? 0 : c.size;
    return this.iip !== null && this.iip.activation !== this.box.activationId ? 1 : 0;
  }

  senders(): readonly OutPortBase[] {
    const f = this.from;
    return f === null ? NONE : f instanceof OutPortBase ? [f] : f;
  }

  /** True when a receive would return end of stream now. */
  atEnd(): boolean {
    const c = this.conn;
    if (c !== null) return this.closedByBox || (c.closed && c.size === 0);
    return this.iip === null || this.iip.activation === this.box.activationId;
  }

  /** Receive without budget or stop checks: an IP, null (end of stream) or undefined (wait). */
  take(): Packet | null | undefined {
    const c = this.conn;
    const box = this.box;
    if (c !== null) {
      let ip = c.tryReceive();
      if (ip === undefined) {
        if (this.closedByBox) return null;
        if (!c.closed) return undefined;
        // Closed: but a sender on another thread may have published its last IP and closed
        // after the tryReceive above. Closing follows the last publication, so one more try
        // after seeing `closed` finds whatever is left.
        ip = c.tryReceive();
        if (ip === undefined) return null;
      }
      if (box.checked) acquireChecked(box, ip);
      box.ipsIn++;
      return ip;
    }
    const iip = this.iip;
    if (iip !== null && iip.activation !== box.activationId) {
      iip.activation = box.activationId;
      box.ipsIn++;
      box.op!.iipsIn++; // only loopers receive through take(); their LooperState exists
      return box.createPacket('data', iip.value);
    }
    return null;
  }

  receive(): IP<unknown> | null | Promise<IP<unknown> | null> {
    const box = this.box;
    if (box.sched.external !== null) publishRingOuts(box);
    if (--box.opsLeft < 0) return box.pend(P_RECEIVE, this, null, true);
    const r = this.take();
    if (r !== undefined) return r as IP<unknown> | null;
    return box.pend(P_RECEIVE, this, null, false);
  }

  close(): void {
    if (this.closedByBox) return;
    this.closedByBox = true;
    // Sends into the closed connection must be refused from now on, not delivered directly.
    for (const o of this.senders()) if (o.direct === this) o.direct = null;
    if (this.conn !== null) this.box.sched.totals.dropped += this.conn.closeReceiver(this.box.sched.discard);
  }

  [Symbol.asyncIterator](): AsyncIterator<IP<unknown>> {
    return {
      next: async () => {
        const ip = await this.receive();
        return ip === null ? { done: true, value: undefined } : { done: false, value: ip };
      },
    };
  }
}

const NONE: readonly OutPortBase[] = Object.freeze([]);

/** `A.out -> B.in`, made when a report needs it (ports keep no label strings). */
export function edgeLabel(to: InPortImpl): string {
  const target = `${to.box.label}.${to.name}`;
  const from = to.senders();
  if (from.length === 0) return `IIP -> ${target}`;
  const first = from[0];
  const more = from.length > 1 ? ` (+${from.length - 1} more senders)` : '';
  return `${first.box.label}.${first.name} -> ${target}${more}`;
}

/** Where sends to an unconnected or closed out-port go: it refuses every IP. */
const REFUSING = closedConnection<Packet>();

/** Shared by both out-port flavours: where IPs go and the internal put. */
export class OutPortBase {
  readonly box: Box;
  readonly name: string;
  readonly index: number;
  conn: OutConnection<Packet> | null = null;
  /** The connection sends go to: `conn`, or REFUSING once closed or when unconnected. */
  sink: OutConnection<Packet> = REFUSING;
  closedByBox = false;
  /** For reports: the in-port this one sends to. */
  to: InPortImpl | null = null;
  /** `to`, when sends may run its handler at once (scheduler/direct.ts: directTarget). */
  direct: InPortImpl | null = null;

  constructor(box: Box, name: string, index: number) {
    this.box = box;
    this.name = index < 0 ? name : `${name}[${index}]`;
    this.index = index;
  }

  get connected(): boolean {
    return this.conn !== null;
  }
  get closed(): boolean {
    return this.closedByBox || this.conn === null || this.conn.receiverClosed;
  }
  get queued(): number {
    return this.conn === null ? 0 : this.conn.size;
  }

  attach(conn: OutConnection<Packet>): void {
    this.conn = conn;
    this.sink = conn;
  }

  /**
   * Deliver or enqueue without budget: true delivered or queued, false dropped (closed or
   * unconnected), undefined full. Nobody else may hold `p` (checked: a detached packet).
   */
  put(p: Packet): boolean | undefined {
    const to = this.direct;
    if (to !== null && canDeliver(to)) {
      this.box.ipsOut++;
      deliverDirect(to, p, this.box);
      return true;
    }
    return this.queue(p);
  }

  /** Into the connection: true queued, false dropped, undefined full. */
  queue(p: Packet): boolean | undefined {
    const r = this.sink.offer(p);
    if (r > 0) {
      this.box.ipsOut++;
      return true;
    }
    return r === 0 ? undefined : this.refuse(p);
  }

  /** A send that cannot be delivered: the IP is dropped (an arena block freed) and counted. */
  refuse(p: Packet): false {
    const box = this.box;
    box.sched.totals.dropped++;
    if (box.sched.arena !== null) releasePacket(box.sched, p);
    if (this.conn !== null && !this.closedByBox) box.sendRefused = true;
    return false;
  }

  close(): void {
    if (this.closedByBox) return;
    this.closedByBox = true;
    this.sink = REFUSING;
    this.direct = null;
    if (this.conn !== null) this.conn.closeSender();
  }
}

/*
 * Both flavours send in two steps. First the IP leaves its box: checked, passChecked verifies
 * the owner and keeps the same packet (`held`: the sender may still have it); emit and the
 * brackets make one already in flight (box.freshPacket). Then, when the receiver can run at
 * once (direct.ts), it gets that packet, and the sender marks it sent when that returns
 * (sentChecked); anything that waits (a connection, the outbox, a suspended send) gets a
 * detached one instead.
 */

/** Looper out-port: a send into a full connection suspends the box. */
export class OutPortImpl extends OutPortBase implements OutPort<unknown> {
  send(ip: IP<unknown>): boolean | Promise<boolean> {
    const box = this.box;
    return this.sendPacket(box.checked ? passChecked(box, ip) : (ip as Packet), box.checked);
  }
  emit(data: unknown): boolean | Promise<boolean> {
    const box = this.box;
    const sink = this.sink;
    // Into a ring (an end with offerData), with budget left and no arena blocks to account
    // for: no packet at all, only the bytes cross. Full or closed: the usual path below (it
    // makes the packet, then waits or drops it).
    if (sink.offerData !== undefined && box.opsLeft > 0 && box.sched.arena === null && sink.offerData(data) > 0) {
      box.opsLeft--;
      box.ipsOut++;
      box.sched.totals.created++;
      return true;
    }
    return this.sendPacket(box.freshPacket('data', data), false);
  }
  openBracket(group?: string): boolean | Promise<boolean> {
    return this.sendPacket(this.box.freshPacket('open', group), false);
  }
  closeBracket(group?: string): boolean | Promise<boolean> {
    return this.sendPacket(this.box.freshPacket('close', group), false);
  }

  // The direct branch is written out here and in SyncOutPortImpl.sendPacket on purpose: one
  // method for it on OutPortBase (which then sees both subclasses) cost the checked 10-box
  // chain 8–20% (bench/hop-cost.ts, 3 × 2 runs: 5.21–5.61 M against 6.04–6.64 M IPs/s).
  private sendPacket(p: Packet, held: boolean): boolean | Promise<boolean> {
    const box = this.box;
    const to = this.direct;
    if (to !== null && box.opsLeft > 0 && canDeliver(to)) {
      box.opsLeft--;
      box.ipsOut++;
      deliverDirect(to, p, box);
      if (held) sentChecked(p, box);
      return true;
    }
    return this.sendQueued(held ? detachChecked(p as CheckedPacket) : p);
  }

  /** Into the connection; suspends when it is full or the budget is spent. */
  private sendQueued(p: Packet): boolean | Promise<boolean> {
    const box = this.box;
    if (--box.opsLeft < 0) return box.pend(P_SEND, this, p, true);
    const r = this.queue(p);
    if (r !== undefined) return r;
    return box.pend(P_SEND, this, p, false);
  }
}

/**
 * Non-looper out-port: never suspends. While the box's outbox is empty a send goes straight
 * into the connection; once one send met a full connection, every later send of the same
 * call goes to the outbox too, which keeps the order per connection.
 */
export class SyncOutPortImpl extends OutPortBase implements SyncOutPort<unknown> {
  send(ip: IP<unknown>): boolean {
    const box = this.box;
    if (box.checked) return this.sendPacket(passChecked(box, ip), true);
    return this.sendPacket(ip as Packet, false);
  }
  emit(data: unknown): boolean {
    const box = this.box;
    const sink = this.sink;
    // As the looper's emit; behind a non-empty outbox the value must queue there (order).
    if (sink.offerData !== undefined && box.outboxCount === 0 && box.sched.arena === null && sink.offerData(data) > 0) {
      box.ipsOut++;
      box.sched.totals.created++;
      return true;
    }
    return this.sendPacket(box.freshPacket('data', data), false);
  }
  openBracket(group?: string): boolean {
    return this.sendPacket(this.box.freshPacket('open', group), false);
  }
  closeBracket(group?: string): boolean {
    return this.sendPacket(this.box.freshPacket('close', group), false);
  }

  private sendPacket(p: Packet, held: boolean): boolean {
    const box = this.box;
    const to = this.direct;
    if (to !== null && box.outboxCount === 0 && canDeliver(to)) {
      box.ipsOut++;
      deliverDirect(to, p, box);
      if (held) sentChecked(p, box);
      return true;
    }
    return this.sendQueued(held ? detachChecked(p as CheckedPacket) : p);
  }

  /**
   * Into the connection, or behind the outbox (order per connection). With a shared arena the
   * IP the box received is passed on here (scheduler/arena.ts `held`): direct delivery is off
   * in such a network, so no other path sees it.
   */
  private sendQueued(p: Packet): boolean {
    const box = this.box;
    if (p === box.sched.held) box.sched.held = null;
    if (box.outboxCount === 0) {
      const r = this.queue(p);
      if (r !== undefined) return r;
    } else if (this.sink.receiverClosed) return this.refuse(p);
    box.pushOutbox(this, p);
    return true;
  }
}

/**
 * Publish what the box committed to rings to other workers: before it takes its next input,
 * so that outputs never wait in a sender's batch while the box works on something else.
 */
export function publishRingOuts(box: Box): void {
  const outs = box.outs;
  for (let i = 0; i < outs.length; i++) {
    const s = outs[i].sink;
    if (s.publishPending !== undefined) s.publishPending();
  }
}

export function outboxOverflow(box: Box): never {
  throw new WeftError(
    'E_OUTBOX',
    `non-looper ${box.label} queued more than ${MAX_OUTBOX} IPs into full connections in one call; write it as a looper (run) so that it suspends on a full connection`,
  );
}
