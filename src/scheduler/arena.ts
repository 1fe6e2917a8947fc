/**
 * The shared arena as the scheduler sees it: allocation for boxes (ctx.alloc), and the end of
 * every IP whose value is an arena view. An IP ends without being received in these places,
 * and each frees the view's block here, checked mode or not (none of them reads the
 * ownership counters):
 *
 *   ctx.drop                           box.ts           dropPacket()
 *   a non-looper's received IP that    activate.ts      checked: the auto-drop releases it;
 *     the handler neither sent nor                      unchecked: `sched.held` (below)
 *     dropped
 *   a send refused (receiver closed,   ports.ts         refuse() → releasePacket()
 *     port closed or unconnected)
 *   a receiver closes early            connections      closeReceiver(sched.discard); rings and
 *                                                       shared queues through their codec's
 *                                                       release (shm/codec.ts)
 *   a looper's pending send when the   box.ts           abortPending()
 *     network stops
 *   what is left when the network      network.ts       releaseLeftovers(): outboxes, the IP a
 *     ends (failure, stop, deadlock)                    failing handler held, every in-port
 *
 * `sched.held` is the IP a non-looper handler is running with (one at a time per thread: a
 * handler is synchronous), set only when the network has an arena. An unchecked send or drop
 * of that IP clears it; what is still there when the handler returns was neither, and is
 * released like the checked auto-drop. Left set by a handler that threw, it is released at the
 * end of the network.
 */
import { WeftError } from '../errors.ts';
import { isHeldChecked, type Packet } from '../ip/ip.ts';
import { ArenaViews, type ArenaView, type ArenaViewType } from '../shm/arena-views.ts';
import type { Box } from './box.ts';
import { DIRECT_OFF } from './direct.ts';
import type { Scheduler } from './scheduler.ts';

/** Give the scheduler its network's arena (a buffer made once per network, shared by its workers). */
export function attachArena(sched: Scheduler, sab: SharedArrayBuffer): void {
  sched.arena = new ArenaViews(sab);
  sched.directLeft = DIRECT_OFF; // `held` is one IP per thread: no handler may run inside another
  sched.discard = (p) => releasePacket(sched, p);
}

/** ctx.alloc: a view in the network's arena (E_ARENA without one). */
export function allocFor<T extends ArenaViewType>(box: Box, type: T, length: number, zero: boolean): InstanceType<T> {
  const a = box.sched.arena;
  if (a === null) {
    throw new WeftError('E_ARENA', `box ${box.label} (${box.componentName}): ctx.alloc needs the network's shared arena, which a network has when one of its ports is declared port.shared()`);
  }
  return a.alloc(type, length, zero, `box ${box.label}: ctx.alloc`);
}

/** ctx.free: a view made by alloc that never went into an IP. */
export function freeFor(box: Box, view: ArenaView): void {
  const a = box.sched.arena;
  if (a === null || !a.owns(view)) throw new WeftError('E_OWNERSHIP', `box ${box.label}: ctx.free takes a view made by ctx.alloc`);
  a.free(view, 'ctx.free');
}

/** A data IP is made of `value`: an arena view must be in no other IP. */
export function adoptValue(sched: Scheduler, value: unknown): void {
  const a = sched.arena!;
  if (a.owns(value)) a.adopt(value);
}

/** An IP ends here: free its block if its value is an arena view. */
export function releasePacket(sched: Scheduler, p: Packet): void {
  const a = sched.arena;
  if (a !== null && p.kind === 'data') a.release(sched.own.valueOf(p));
}

/** ctx.drop of `ip` (ownership already checked): release it, and forget it as the held IP. */
export function dropPacket(sched: Scheduler, ip: Packet): void {
  if (sched.held === ip) sched.held = null;
  releasePacket(sched, ip);
}

/** Unchecked non-looper, after its handler: the received IP was neither sent nor dropped. */
export function releaseHeld(sched: Scheduler): void {
  const h = sched.held;
  if (h === null) return;
  sched.held = null;
  releasePacket(sched, h);
}

/** Release without throwing: for a network that ends anyway (its failure is reported). */
function quietly(sched: Scheduler, p: Packet): void {
  try {
    releasePacket(sched, p);
  } catch {
    // A view freed twice by a box: the block is not ours to free again.
  }
}

/**
 * The network has ended (or stopped): free the blocks of every IP it can still reach on this
 * thread: the IP a failing handler held, the outboxes of non-loopers, and everything queued on
 * an in-port (each receive end is closed). IPs held in a looper's variables are out of reach:
 * they remain in the arena's live blocks, which the run's statistics report.
 */
export function releaseLeftovers(sched: Scheduler): void {
  if (sched.arena === null) return;
  const h = sched.held;
  sched.held = null;
  if (h !== null && (!sched.own.checked || isHeldChecked(h))) quietly(sched, h);
  const discard = (p: Packet) => quietly(sched, p);
  for (const box of sched.boxes) {
    const ob = box.outbox;
    if (ob !== null) {
      for (let i = box.outboxHead + 1; i < ob.length; i += 2) quietly(sched, ob[i] as Packet);
      ob.length = 0;
      box.outboxHead = 0;
      box.outboxCount = 0;
    }
    for (const p of box.ins) {
      if (p.conn === null) continue;
      try {
        p.conn.closeReceiver(discard);
      } catch {
        // as in quietly()
      }
    }
  }
}
