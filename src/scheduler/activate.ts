/**
 * Activation: what the scheduler does when it picks a READY box.
 *
 * Looper:
 *   - with a pending operation: complete it and settle its Promise (box.resume());
 *   - otherwise start a new activation: call `run(ins, outs, ctx)`; the body runs inline until
 *     its first suspension. When the body returns: a leak check; then, if every in-port is at
 *     end of stream the box terminates, else it waits for input and is activated again
 *     (Morrison). Returning without receiving while input waits is E_NO_PROGRESS.
 *
 * Non-looper:
 *   1. First activation: read the param ports (in-ports without a handler); may block.
 *   2. Flush the outbox; blocked if a connection is still full.
 *   3. Call the stream handlers, round robin over the stream ports, one IP per call, until no
 *      IP waits, the budget is used, or a send met a full connection (outbox non-empty).
 *      After each call the received IP is dropped unless the handler sent or dropped it, and
 *      the box must own nothing else (E_LEAK). With a shared arena, that drop frees the IP's
 *      block, in unchecked mode too (scheduler/arena.ts: `held`).
 *   4. Every stream port at end of stream: call `end` once, flush, terminate.
 */
import { WeftError } from '../errors.ts';
import { acquireChecked, dropChecked, ownsChecked, type IP } from '../ip/ip.ts';
import { releaseHeld, releasePacket } from './arena.ts';
import { publishRingOuts } from './ports.ts';
import { BLOCKED, Box, LooperState, P_NONE, READY, RUNNING, W_INPUT, W_RECEIVE, isNonLooper, leakError } from './box.ts';

export function activate(box: Box): void {
  const sched = box.sched;
  sched.beat[sched.beatAt]++;
  sched.beat[sched.beatAt + 1] = box.index;
  if (box.looper) {
    if (box.pending) {
      if (box.resume()) box.sched.looperStarted(box);
      return;
    }
    startLooper(box);
  } else if (sched.timing) {
    const t0 = performance.now();
    try {
      runNonLooper(box);
    } finally {
      box.busyMs += performance.now() - t0;
    }
  } else {
    runNonLooper(box);
  }
}

function startLooper(box: Box): void {
  const sched = box.sched;
  box.activationId++;
  box.activations++;
  box.opsLeft = box.budget;
  // Progress is input taken from connections: an IIP can be received again every activation.
  const st = (box.op ??= new LooperState());
  const inAtStart = box.ipsIn - st.iipsIn;
  sched.looperStarted(box);
  const comp = box.component;
  if (comp.style !== 'looper') return;
  let p: Promise<void>;
  try {
    p = comp.run(box.inView as never, box.outView as never, box.ctx);
  } catch (e) {
    sched.runningDown();
    throw e;
  }
  if (!(p instanceof Promise)) {
    sched.runningDown();
    throw new WeftError('E_BOX_FAILED', `run() of ${box.componentName} must be an async function (it returned ${typeof p})`);
  }
  box.op!.activation = p.then(
    () => {
      if (abandonedOperation(box)) {
        sched.fail(
          box,
          new WeftError(
            'E_BOX_FAILED',
            `looper ${box.label} (${box.componentName}) returned while a port operation it started was still waiting; await the Promise a port operation returns`,
          ),
        );
      } else looperReturned(box, inAtStart);
    },
    (e) => {
      if (!abandonedOperation(box)) sched.looperParked(box);
      sched.fail(box, e);
    },
  );
}

/**
 * The body ended while an operation it started still waits: it did not await the Promise.
 * Forget the operation (nobody will take its result, so settling it would only raise an
 * unhandled rejection). The box was already counted as parked when the operation began.
 */
function abandonedOperation(box: Box): boolean {
  const op = box.op!;
  if (op.kind === P_NONE) return false;
  op.clear();
  return true;
}

function looperReturned(box: Box, inAtStart: number): void {
  const sched = box.sched;
  sched.looperParked(box);
  if (sched.stopped) return;
  if (sched.own.checked && box.owned > 0) {
    sched.fail(box, leakError(box));
    return;
  }
  let waiting = false;
  let queued = false;
  for (const p of box.ins) {
    if (p.conn === null || p.closedByBox) continue;
    if (p.conn.size > 0) queued = true;
    if (!(p.conn.closed && p.conn.size === 0)) waiting = true;
  }
  if (!waiting) {
    sched.terminate(box);
    return;
  }
  if (queued && box.ipsIn - box.op!.iipsIn === inAtStart) {
    sched.fail(
      box,
      new WeftError(
        'E_NO_PROGRESS',
        `looper ${box.label} (${box.componentName}) returned without receiving from its connections while IPs wait on its in-ports (it would be activated again forever)`,
      ),
    );
    return;
  }
  box.blockOnInputs(box.ins);
}

function runNonLooper(box: Box): void {
  box.status = RUNNING;
  box.activations++;
  if (box.phase === 0 && !startNonLooper(box)) return;
  if (box.outboxCount > 0 && !box.flushOutbox()) return;
  const streams = box.streams;
  const n = streams.length;
  const checked = box.checked;
  const ctx = box.ctx;
  const out = box.outView;
  let budget = box.budget;
  const sched = box.sched;
  const beat = sched.beat;
  const beatAt = sched.beatAt;
  /** The network's arena: the received IP is tracked as `held` (scheduler/arena.ts). */
  const arena = sched.arena;
  /** On a worker: outputs to other workers go out after each call (publishRingOuts). */
  const rings = sched.external !== null;
  let idle = 0;
  let rr = box.rr;
  let port = streams[rr];
  let conn = port.conn!;
  let handler = port.handler!;
  while (budget > 0) {
    const ip = conn.tryReceive();
    if (ip === undefined) {
      if (++idle >= n) break;
      rr = rr + 1 === n ? 0 : rr + 1;
      port = streams[rr];
      conn = port.conn!;
      handler = port.handler!;
      continue;
    }
    idle = 0;
    budget--;
    beat[beatAt]++;
    if (checked) acquireChecked(box, ip);
    if (arena !== null) sched.held = ip;
    box.ipsIn++;
    if (port.index >= 0) ctx.element = port.index;
    const ret: unknown = handler(ip as IP<unknown>, out, ctx);
    if (typeof ret === 'object' && ret !== null) asyncHandler(box, ret);
    if (checked) {
      if (ownsChecked(box, ip)) {
        dropChecked(box, ip);
        sched.totals.dropped++;
        if (arena !== null) releasePacket(sched, ip);
      }
      if (arena !== null) sched.held = null;
      if (box.owned !== 0) throw leakError(box);
    } else if (arena !== null) {
      releaseHeld(sched);
    }
    if (rings) publishRingOuts(box);
    if (box.sendRefused) {
      box.sendRefused = false;
      if (box.allOutputsClosed()) {
        box.sched.terminate(box);
        return;
      }
    }
    if (box.outboxCount > 0) {
      box.rr = rr;
      // Blocked on the full connection, or (a connection to another thread) room was made
      // meanwhile and everything went out: then the activation goes on.
      if (!box.flushOutbox()) return;
    }
    if (n > 1) {
      rr = rr + 1 === n ? 0 : rr + 1;
      port = streams[rr];
      conn = port.conn!;
      handler = port.handler!;
    }
  }
  box.rr = rr;
  if (budget === 0) {
    box.status = READY;
    box.sched.enqueue(box);
    return;
  }
  if (n === 1) {
    // The common case, without the loops: wait on the one stream unless it has ended.
    if (!conn.closed) {
      box.status = BLOCKED;
      box.waitKind = W_INPUT;
      box.waitPort = null;
      conn.waitNonEmpty(box);
      return;
    }
    if (conn.size > 0) {
      // A sender on another thread published and closed after the last tryReceive.
      box.status = READY;
      box.sched.enqueue(box);
      return;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const c = streams[i].conn!;
      if (!c.closed || c.size > 0) {
        box.blockOnInputs(streams);
        return;
      }
    }
  }
  if (box.phase !== 2) {
    box.phase = 2;
    const comp = box.component;
    if (isNonLooper(comp) && comp.end) {
      comp.end(out as never, ctx);
      if (checked && box.owned !== 0) throw leakError(box);
      if (box.outboxCount > 0 && !box.flushOutbox()) return;
    }
  }
  box.sched.terminate(box);
}

/** Read each param port once. False: blocked waiting for one. */
function startNonLooper(box: Box): boolean {
  const comp = box.component;
  if (!isNonLooper(comp)) return false;
  const ctx = box.ctx;
  if (box.streams.length < box.ins.length) ctx.params = {};
  for (const p of box.ins) {
    const name = p.port;
    if (comp.process[name] !== undefined) continue;
    if (name in ctx.params) continue;
    const decl = comp.inPorts[name];
    if (p.conn !== null) {
      let ip = p.conn.tryReceive();
      if (ip === undefined && p.conn.closed) ip = p.conn.tryReceive(); // published, then closed
      if (ip !== undefined) {
        box.ipsIn++;
        box.sched.totals.dropped++;
        ctx.params[name] = box.sched.own.valueOf(ip);
      } else if (p.conn.closed) {
        ctx.params[name] = decl.hasDefault ? decl.defaultValue : undefined;
      } else {
        box.block(W_RECEIVE, p);
        return false;
      }
    } else if (p.iip !== null) {
      ctx.params[name] = p.iip.value;
    } else {
      ctx.params[name] = decl.hasDefault ? decl.defaultValue : undefined;
    }
  }
  ctx.state = comp.state ? comp.state() : undefined;
  box.phase = 1;
  return true;
}

/** A non-looper handler returned a Promise: its sends would happen outside its activation. */
export function asyncHandler(box: Box, ret: object): void {
  if (typeof (ret as { then?: unknown }).then !== 'function') return;
  (ret as Promise<unknown>).then(undefined, () => {}); // reported below, not as an unhandled rejection
  throw new WeftError(
    'E_BOX_FAILED',
    `non-looper ${box.label} (${box.componentName}): a process handler must be synchronous (it returned a Promise); write the component as a looper (async run) to await inside it`,
  );
}
