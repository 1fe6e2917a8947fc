/**
 * Direct delivery: a send into an empty connection on this thread whose receiver is a
 * non-looper waiting for input runs the receiver's handler on that IP at once, on the
 * sender's stack, instead of queueing the IP and waking the receiver through the run queue.
 *
 * Why: a queued hop costs an enqueue, a dequeue, and (once per `capacity` IPs) a wake-up, a
 * run-queue round and an activation; a direct hop is the handler call and its checks. The
 * larger effect is on a looper source: its sends no longer fill a connection, so it suspends
 * once per budget instead of once per capacity. The 10-box chain, checked: 3.5–3.7 M →
 * 4.2–4.3 M IPs/s on the 2-core EPYC VM, no change on a lent Xeon (docs/performance.md).
 * The sender is suspended at a port operation, which is where a box may be pre-empted
 * anyway, so the receiver running there is one more legal schedule.
 *
 * When. Fixed at build time (directTarget, kept in the out-port's `direct`):
 *   - the out-port's connection is the receiver's own in-port connection (a LocalConnection;
 *     not a FanIn over rings, not a ring), and the in-port is a non-looper stream port;
 *   - the sender is a non-looper, or a looper without connected in-ports (a source). A
 *     looper that has input and sends directly runs ahead of its upstream and suspends on
 *     receives instead of sends, more often: measured on the 10-looper chain, 108–138 k
 *     suspensions per box per 1 M IPs instead of 100 k, and 11–16% fewer IPs/s
 *     (docs/design.md).
 * Checked on every send (canDeliver, from ports.ts):
 *   - the receiving box is BLOCKED waiting for input (W_INPUT) after its first activation
 *     (params read): not running (a box never runs twice at once: a cycle back into a box on
 *     the stack queues normally), not READY, not blocked on a send. That also means the
 *     connection is empty, so the IP overtakes nothing and order per connection holds: any
 *     offer into a stream the box waits on wakes it (READY), and a direct delivery never
 *     leaves an IP in the queue. A receiver that closes the in-port clears its senders'
 *     `direct` (InPortImpl.close), so a closed connection is never delivered into;
 *   - the scheduler allows it (`directLeft` > 0): depth below DIRECT_DEPTH, not stopped, no
 *     timing statistics (they charge time per activation) and no shared arena (`sched.held`
 *     is one IP per thread).
 *
 * Invariants kept:
 *   - One counter per hop, the in-port's `handed`: statistics add it to the receiver's IPs
 *     in and activations and to the connection's IPs carried (with a fill of at least 1).
 *     (The sender still counts it out.)
 *   - What runNonLooper does after each handler call is done here too: the auto-drop, the
 *     leak check, ring publication, a refused send (terminating when every output closed),
 *     and the outbox (flushing it; blocked on a send when it cannot).
 *   - Afterwards the box waits for input again. When nothing woke it while it ran (Box.wake()
 *     on a running box sets waitKind to W_NONE), its registrations still stand and its streams
 *     are still empty and open: it only goes back to BLOCKED. Otherwise it re-registers the way
 *     an activation ends; a stream that became non-empty or closed wakes it at once.
 *   - An error in the receiver fails the network naming the receiver, not the sender; the
 *     sender's send still returns true (the IP was delivered).
 *   - Checked mode: `p` is the sender's own packet (ports.ts sendPacket, ip.ts passChecked);
 *     the receiver owns it while its handler runs, and the sender marks it sent once this
 *     returns (sentChecked), so no packet is made per hop.
 */
import { acquireChecked, dropChecked, ownsChecked, type IP, type Packet } from '../ip/ip.ts';
import type { LocalConnection } from '../connection/local-queue.ts';
import { asyncHandler } from './activate.ts';
import { BLOCKED, RUNNING, W_INPUT, leakError, type Box } from './box.ts';
import { publishRingOuts, type InPortImpl, type OutPortBase } from './ports.ts';

/** Deepest nesting of direct deliveries on one stack (a longer chain queues beyond it). */
export const DIRECT_DEPTH = 32;
/** `sched.directLeft` when direct delivery is off: unwinding deliveries cannot lift it above 0. */
export const DIRECT_OFF = -(2 ** 30);

/** IPs handed to `box` directly: add to its counted IPs in and activations (ports.ts `handed`). */
export function handedTo(box: Box): number {
  let n = 0;
  const ins = box.ins;
  for (let i = 0; i < ins.length; i++) n += ins[i].handed;
  return n;
}

/** The in-port `out`'s sends may be delivered to directly, or null. Call once wiring is done. */
export function directTarget(out: OutPortBase): InPortImpl | null {
  const to = out.to;
  if (to === null || to.handler === null || out.conn === null || (to.conn as unknown) !== out.conn) return null;
  if (to.box.sched !== out.box.sched) return null;
  const from = out.box;
  if (from.looper && from.ins.some((p) => p.conn !== null)) return null;
  return to;
}

/**
 * The conditions that change while running: a send to `to` may go directly. The connection
 * need not be tested: a box BLOCKED waiting for input has every stream it waits on empty (an
 * offer wakes it, and a direct delivery leaves the queue untouched), and an in-port its box
 * closed has no direct senders any more (InPortImpl.close clears them).
 */
export function canDeliver(to: InPortImpl): boolean {
  const box = to.box;
  return box.status === BLOCKED && box.waitKind === W_INPUT && box.phase === 1 && box.sched.directLeft > 0;
}

/** Run `to`'s handler on `p` now. The caller checked every condition in the header. */
export function deliverDirect(to: InPortImpl, p: Packet, from: Box): void {
  const box = to.box;
  const sched = box.sched;
  to.handed++;
  box.status = RUNNING;
  sched.directLeft--;
  // Only a worker's heartbeat is read (by the main thread's watchdog): name the box running.
  const onWorker = sched.external !== null;
  if (onWorker) beatFor(sched, box.index);
  try {
    if (box.checked) acquireChecked(box, p);
    if (to.index >= 0) box.ctx.element = to.index;
    const ret: unknown = to.handler!(p as IP<unknown>, box.outView, box.ctx);
    if (ret !== undefined) returned(box, ret);
    // Checked: a box owning nothing has sent or dropped `p` (the usual case); otherwise
    // endChecked drops `p` if it is still held and reports any other IP left.
    if (box.checked && box.owned !== 0) endChecked(box, p);
    if (onWorker) publishRingOuts(box);
    // Nothing woke it while it ran (wake() clears waitKind then): its registrations still
    // stand and its streams are still empty and open.
    if (box.sendRefused || box.outboxCount > 0 || box.waitKind !== W_INPUT) afterDirect(box, to.conn as LocalConnection<Packet>);
    else box.status = BLOCKED;
  } catch (e) {
    sched.fail(box, e);
  }
  sched.directLeft++;
  if (onWorker) beatFor(sched, from.index);
}

function beatFor(sched: Box['sched'], index: number): void {
  sched.beat[sched.beatAt]++;
  sched.beat[sched.beatAt + 1] = index;
}

/** A handler returned something: a Promise is an error (asyncHandler). */
function returned(box: Box, ret: unknown): void {
  if (typeof ret === 'object' && ret !== null) asyncHandler(box, ret);
}

/** Checked mode after the handler: drop the IP it neither sent nor dropped; own nothing else. */
function endChecked(box: Box, p: Packet): void {
  if (ownsChecked(box, p)) {
    dropChecked(box, p);
    box.sched.totals.dropped++;
  }
  if (box.owned !== 0) throw leakError(box);
}

/** The end of runNonLooper's per-IP step and of its activation, for one direct IP. */
function afterDirect(box: Box, conn: LocalConnection<Packet>): void {
  if (box.sendRefused) {
    box.sendRefused = false;
    if (box.allOutputsClosed()) {
      box.sched.terminate(box);
      return;
    }
  }
  if (box.outboxCount > 0 && !box.flushOutbox()) return; // blocked on a full connection
  box.status = BLOCKED;
  box.waitKind = W_INPUT;
  box.waitPort = null;
  if (box.streams.length === 1) conn.waitNonEmpty(box);
  else box.blockOnInputs(box.streams);
}
