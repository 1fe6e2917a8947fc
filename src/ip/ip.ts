/**
 * IP: an information packet. A value with exactly one owner at a time; kinds `data`, `open`
 * (bracket) and `close` (bracket). A bracket's `data` is its optional group name.
 *
 * Ownership protocol (what each operation does to an IP):
 *   create  → owned by the creating box
 *   send    → owned by nobody (in flight) until the receiver takes it
 *   receive → owned by the receiving box
 *   drop    → ended; it may never be used again
 * A box that ends an activation still owning IPs is an error (E_LEAK), checked by the
 * scheduler with the per-box `owned` counter kept here.
 *
 * Two implementations of one interface, chosen per network:
 * - CheckedPacket (default): every operation checks the owner; `data` is behind an accessor
 *   that throws once the IP was sent or dropped. A send whose IP waits somewhere hands the
 *   receiver a *new* packet and kills the sender's one, so touching an IP after sending it is
 *   always caught, even after the receiver took it. A send delivered directly (the receiver
 *   runs inside it, scheduler/direct.ts) hands over the same packet and marks it sent by the
 *   sender when it returns: by then the receiver has sent it on or dropped it.
 * - UncheckedPacket (`--unchecked`): a plain object moved by reference, no checks at all.
 *   The benchmark (bench/chain.ts) reports what the checks cost.
 * Rejected: a "current box" global compared on every access. Async loopers interleave at
 * microtask boundaries, so the runtime cannot know which box is executing; the check would
 * give false errors.
 */
import { WeftError } from '../errors.ts';

export type IPKind = 'data' | 'open' | 'close';

export interface DataIP<T = unknown> {
  readonly kind: 'data';
  data: T;
}

export interface BracketIP {
  readonly kind: 'open' | 'close';
  /** The group name given to `open(group)` / `close(group)`, if any. */
  readonly data: string | undefined;
}

export type IP<T = unknown> = DataIP<T> | BracketIP;

/** Anything that can own IPs: a box. `label` names it in errors. */
export interface Owner {
  readonly label: string;
  /** Number of IPs this owner currently holds (checked mode only). */
  owned: number;
}

const LIVE = 0;
const SENT = 1;
const DROPPED = 2;

export class CheckedPacket {
  readonly kind: IPKind;
  private value: unknown;
  owner: Owner | null;
  state: number;
  constructor(kind: IPKind, value: unknown, owner: Owner | null) {
    this.kind = kind;
    this.value = value;
    this.owner = owner;
    this.state = LIVE;
  }
  get data(): unknown {
    if (this.state !== LIVE) throwDead(this);
    return this.value;
  }
  set data(v: unknown) {
    if (this.state !== LIVE) throwDead(this);
    if (this.kind !== 'data') throw new WeftError('E_OWNERSHIP', 'the group name of a bracket IP cannot be changed');
    this.value = v;
  }
  /** The value without the liveness check, for the runtime's own use (codec, printing). */
  peek(): unknown {
    return this.value;
  }
}

export class UncheckedPacket {
  readonly kind: IPKind;
  data: unknown;
  constructor(kind: IPKind, value: unknown) {
    this.kind = kind;
    this.data = value;
  }
}

export type Packet = CheckedPacket | UncheckedPacket;

function throwDead(p: CheckedPacket): never {
  const how = p.state === SENT ? 'after it was sent' : 'after it was dropped';
  const who = p.owner ? ` (last owner: ${p.owner.label})` : '';
  throw new WeftError('E_OWNERSHIP', `an IP was used ${how}${who}; sending or dropping ends a box's hold on it`);
}

function notOwned(op: string, box: Owner, p: CheckedPacket): never {
  let why: string;
  if (p.state === SENT) why = 'it was already sent';
  else if (p.state === DROPPED) why = 'it was already dropped';
  else if (p.owner === null) why = 'it is in flight on a connection';
  else why = `it is owned by ${p.owner.label}`;
  throw new WeftError('E_OWNERSHIP', `box ${box.label} tried to ${op} an IP it does not own: ${why}`);
}

/**
 * The ownership operations off the hot path (creating, dropping, reading a value), one object
 * per mode. The hot path (send, receive) calls the checked functions below directly behind
 * `box.checked`. All of them must be called on the owning box's scheduler thread.
 */
export interface Ownership {
  readonly checked: boolean;
  create(box: Owner, kind: IPKind, value: unknown): Packet;
  /** A packet owned by nobody yet, already on a connection (an IIP). */
  inFlight(kind: IPKind, value: unknown): Packet;
  drop(box: Owner, ip: unknown): void;
  /** Read the value of a packet without ownership checks (runtime internal). */
  valueOf(ip: Packet): unknown;
}

function asChecked(box: Owner, op: string, ip: unknown): CheckedPacket {
  if (!(ip instanceof CheckedPacket)) {
    throw new WeftError('E_OWNERSHIP', `box ${box.label} tried to ${op} something that is not an IP (create one with ctx.create(value) or use emit(value))`);
  }
  return ip;
}

// The checked operations as plain functions: hot paths call them directly behind a
// `box.checked` test, so each call site stays monomorphic whichever modes a process mixes.

/**
 * A send, first half: `ip` must be `box`'s and live; it leaves the box (no longer counted
 * as owned) but stays the same packet. Handed straight to a receiver that runs at once
 * (scheduler/direct.ts), it is sent on or dropped before the send returns, and the sender
 * marks it sent (sentChecked): its handle needs no replacement. Any other path must detach
 * it (below).
 */
export function passChecked(box: Owner, ip: unknown): CheckedPacket {
  const p = ip as CheckedPacket | null | undefined;
  // One test on the fast path (an `instanceof` here costs more than the rest of the check);
  // anything else — not an IP, not this box's, already sent or dropped — is sorted out on
  // the slow path, which always throws. One call there, to keep this small: V8 inlines the
  // whole send path into a handler only while it fits its inlining budget (docs/design.md).
  if (p?.owner !== box || p.state !== LIVE) sendNotOwned(box, ip);
  box.owned--;
  return p;
}

function sendNotOwned(box: Owner, ip: unknown): never {
  notOwned('send', box, asChecked(box, 'send', ip));
}

/**
 * A send, second half, for an IP that will wait somewhere (a connection, an outbox, a
 * suspended send): the sender's handle dies and a new packet travels, so touching the IP
 * after sending it is caught even after the receiver took it.
 */
export function detachChecked(p: CheckedPacket): CheckedPacket {
  p.state = SENT;
  return new CheckedPacket(p.kind, p.peek(), null);
}

/**
 * After a send handed `p` straight to a receiver that ran at once: whatever became of it
 * down the line, the sender's handle now reads as sent by `box`, as a detached one would.
 */
export function sentChecked(p: Packet, box: Owner): void {
  const c = p as CheckedPacket;
  c.state = SENT;
  c.owner = box;
}

export function acquireChecked(box: Owner, ip: Packet): void {
  (ip as CheckedPacket).owner = box;
  box.owned++;
}

export function dropChecked(box: Owner, ip: unknown): void {
  const p = ip as CheckedPacket | null | undefined;
  if (p?.owner !== box || p.state !== LIVE) notOwned('drop', box, asChecked(box, 'drop', ip));
  p.state = DROPPED;
  box.owned--;
}

/** A checked packet that some box still holds (not sent, not dropped, not in flight). */
export function isHeldChecked(ip: Packet): boolean {
  const p = ip as CheckedPacket;
  return p.state === LIVE && p.owner !== null;
}

export function ownsChecked(box: Owner, ip: Packet): boolean {
  const p = ip as CheckedPacket;
  return p.owner === box && p.state === LIVE;
}

export const checkedOwnership: Ownership = {
  checked: true,
  create(box, kind, value) {
    box.owned++;
    return new CheckedPacket(kind, value, box);
  },
  inFlight(kind, value) {
    return new CheckedPacket(kind, value, null);
  },
  drop: dropChecked,
  valueOf(ip) {
    return (ip as CheckedPacket).peek();
  },
};

export const uncheckedOwnership: Ownership = {
  checked: false,
  create(_box, kind, value) {
    return new UncheckedPacket(kind, value);
  },
  inFlight(kind, value) {
    return new UncheckedPacket(kind, value);
  },
  drop() {},
  valueOf(ip) {
    return (ip as UncheckedPacket).data;
  },
};
