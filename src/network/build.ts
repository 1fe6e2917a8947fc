/**
 * Build: turn a resolved, flat graph (validated, subnets inlined) into boxes and connections
 * on one Scheduler. Pure wiring; nothing runs here.
 *
 * Rules:
 * - One connection per in-port element that has edges; its capacity is the largest capacity
 *   given on those edges, else the network default. Fan-in: the connection counts its senders.
 * - An array port has elements 0..(highest index used); elements without an edge or IIP are
 *   unconnected (receive: end of stream; send: false, the IP is dropped and counted).
 * - An IIP goes to its element: preloaded into the element's connection when it has edges;
 *   otherwise kept on the port (handed out once per activation) — except for non-looper stream
 *   ports, which get a closed connection holding the IIP(s) so that the handler sees them.
 * - The shared arena: a worker's part brings the network's (made by the main thread); on one
 *   thread it is made here when some box has a port.shared() port (never otherwise).
 */
import type { Component, NonLooperComponent } from '../component/define.ts';
import { anyShared, type PortDecl } from '../component/port.ts';
import type { InConnection } from '../connection/connection.ts';
import { LocalConnection } from '../connection/local-queue.ts';
import { WeftError } from '../errors.ts';
import { spanPrefix } from '../graph/diagnostic.ts';
import type { Graph, PortRef } from '../graph/graph.ts';
import type { Packet } from '../ip/ip.ts';
import type { Box } from '../scheduler/box.ts';
import { InPortImpl, OutPortBase, OutPortImpl, SyncOutPortImpl } from '../scheduler/ports.ts';
import { Scheduler, type SchedulerOptions } from '../scheduler/scheduler.ts';
import { attachArena } from '../scheduler/arena.ts';
import { directTarget } from '../scheduler/direct.ts';
import { createArenaBuffer, DEFAULT_ARENA_BYTES } from '../shm/arena.ts';
import { joinSources, Wiring, type Part } from './wire.ts';
import { DEFAULT_CAPACITY } from '../scheduler/tuning.ts';

export interface BuildOptions extends SchedulerOptions {
  /** Default connection capacity (default DEFAULT_CAPACITY). */
  capacity?: number;
  /**
   * Bytes of the shared arena (ctx.alloc, port.shared()), default DEFAULT_ARENA_BYTES (64 MiB).
   * A network gets an arena only when one of its ports is port.shared().
   */
  arenaBytes?: number;
}

export interface BuiltNetwork {
  sched: Scheduler;
  boxes: Map<string, Box>;
  /**
   * The receiving end of every connection, as its in-port: `conn` is the connection, `from`
   * the sending ports (label: edgeLabel). No record per connection: an idle box stays small.
   */
  connections: InPortImpl[];
  /** A worker's part: the ends of its connections to other workers. */
  wiring?: Wiring;
}

type Resolve = (node: { id: string; component: string }) => Component;

/**
 * Build the boxes of one worker (`part`), or of the whole graph in this thread (no `part`).
 * With a part, edges to and from other workers' boxes become ring ends (wire.ts).
 */
export function buildNetwork(graph: Graph, resolve: Resolve, opts: BuildOptions = {}, part?: Part): BuiltNetwork {
  const sched = new Scheduler(opts);
  const defaultCapacity = opts.capacity ?? DEFAULT_CAPACITY;
  const boxes = new Map<string, Box>();

  // Highest element index used per array port: node → port → index.
  const maxIndex = new Map<string, Map<string, number>>();
  const noteIndex = (ref: PortRef) => {
    if (ref.index === undefined) return;
    let ports = maxIndex.get(ref.node);
    if (!ports) maxIndex.set(ref.node, (ports = new Map()));
    ports.set(ref.port, Math.max(ports.get(ref.port) ?? -1, ref.index));
  };
  for (const e of graph.edges) {
    noteIndex(e.from);
    noteIndex(e.to);
  }
  for (const iip of graph.iips) noteIndex(iip.to);

  // A worker's part gets the network's arena from the main thread, before its ring ends are
  // made (their codecs use it); one thread makes its own below, once it knows the components.
  if (part?.arena !== undefined) attachArena(sched, part.arena);
  const wire = part ? new Wiring(part, sched) : null;
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const node of graph.nodes) {
    if (part && part.placement.get(node.id) !== part.worker) continue;
    const comp = resolve(node);
    const budget = nodeBudget(node);
    const box = sched.addBox(node.id, node.component, comp, budget);
    box.timeoutMs = nodeTimeout(node);
    boxes.set(node.id, box);
    const looper = comp.style === 'looper';
    const indices = maxIndex.get(node.id);
    for (const [name, decl] of Object.entries(comp.inPorts) as [string, PortDecl][]) {
      box.inView[name] = makeElements(decl, indices?.get(name), (i) => {
        const p = new InPortImpl(box, name, i);
        box.ins.push(p);
        return p;
      });
    }
    for (const [name, decl] of Object.entries(comp.outPorts) as [string, PortDecl][]) {
      box.outView[name] = makeElements(decl, indices?.get(name), (i) => {
        const p = looper ? new OutPortImpl(box, name, i) : new SyncOutPortImpl(box, name, i);
        box.outs.push(p);
        return p;
      });
    }
  }

  if (!part && [...boxes.values()].some((b) => anyShared(b.component.inPorts, b.component.outPorts))) {
    attachArena(sched, createArenaBuffer(opts.arenaBytes ?? DEFAULT_ARENA_BYTES));
  }

  /** The port element a (resolved) reference names, found through the box's views. */
  const element = <P>(view: 'inView' | 'outView', ref: PortRef): P => {
    if (wire !== null && !boxes.has(ref.node)) return wire.remotePort(view, ref) as P;
    const v = boxes.get(ref.node)?.[view][ref.port] as P | P[] | undefined;
    const p = ref.index === undefined ? v : (v as P[] | undefined)?.[ref.index];
    if (p === undefined || Array.isArray(p)) throw new Error(`internal: no port element for ${ref.node}.${ref.port}[${ref.index}]`);
    return p as P;
  };

  // Connections, one per target element (see wire.ts for the parts that cross workers).
  const byTarget = new Map<InPortImpl, { edge: Graph['edges'][number]; index: number }[]>();
  const edgeIndex = part?.edgeIndex;
  graph.edges.forEach((e, k) => {
    if (part && part.placement.get(e.to.node) !== part.worker && part.placement.get(e.from.node) !== part.worker) return;
    const index = edgeIndex === undefined ? k : edgeIndex[k];
    const to = element<InPortImpl>('inView', e.to);
    const list = byTarget.get(to);
    if (list) list.push({ edge: e, index });
    else byTarget.set(to, [{ edge: e, index }]);
  });
  const connections: InPortImpl[] = [];
  const localConn = new Map<InPortImpl, LocalConnection<Packet>>();
  for (const [to, edges] of byTarget) {
    let capacity = 0;
    for (const { edge } of edges) capacity = Math.max(capacity, edge.capacity ?? 0);
    capacity ||= defaultCapacity;
    const isLocal = (node: string) => !part || part.placement.get(node) === part.worker;
    const queueOf = (edge: Graph['edges'][number]) => (part ? (edge.metadata.queue as string | undefined) : undefined);
    const mergeOf = (edge: Graph['edges'][number]) => (part ? (edge.metadata.merge as string | undefined) : undefined);
    // Edges that stay in this thread: local senders, except shared queues and ordered outputs.
    const inThread = (edge: Graph['edges'][number]) => isLocal(edge.from.node) && queueOf(edge) === undefined && mergeOf(edge) === undefined;
    const local = edges.filter(({ edge }) => inThread(edge));
    const from: OutPortBase[] = [];
    let conn: LocalConnection<Packet> | null = null;
    if (local.length > 0 && isLocal(to.box.label)) {
      conn = new LocalConnection<Packet>(capacity, local.length);
      localConn.set(to, conn);
    }
    for (const { edge, index } of edges) {
      const src = element<OutPortBase>('outView', edge.from);
      from.push(src);
      if (!isLocal(edge.from.node)) continue;
      const queue = queueOf(edge);
      if (queue !== undefined) {
        // One shared queue for all the replicas this port feeds: attached once.
        if (src.conn === null) {
          src.attach(wire!.queueSendEnd(queue, src, to));
          src.to = to;
        }
        continue;
      }
      if (conn !== null && inThread(edge)) src.attach(conn);
      else src.attach(wire!.sendEnd(index, src, to, mergeOf(edge) === undefined ? null : wire!.tagOf(edge.from.node)));
      src.to = to;
    }
    to.from = from.length === 1 ? from[0] : from;
    if (!isLocal(to.box.label)) continue;
    const remote: InConnection<Packet>[] = [];
    const merges = new Map<string, { edge: Graph['edges'][number]; index: number }[]>();
    for (const { edge, index } of edges) {
      if (inThread(edge)) continue;
      const queue = queueOf(edge);
      const merge = mergeOf(edge);
      if (merge !== undefined) {
        const list = merges.get(merge);
        if (list) list.push({ edge, index });
        else merges.set(merge, [{ edge, index }]);
      } else remote.push(queue === undefined ? wire!.receiveEnd(index, edge) : wire!.queueReceiveEnd(queue, edge, nodeById.get(edge.to.node)!));
    }
    for (const list of merges.values()) remote.push(wire!.orderedMerge(list));
    to.conn = joinSources(conn, remote);
    connections.push(to);
  }

  // IIPs (always local: they go with their target's box).
  const iipsByTarget = new Map<InPortImpl, unknown[]>();
  for (const iip of graph.iips) {
    if (part && part.placement.get(iip.to.node) !== part.worker) continue;
    const p = element<InPortImpl>('inView', iip.to);
    const list = iipsByTarget.get(p);
    if (list) list.push(iip.data);
    else iipsByTarget.set(p, [iip.data]);
  }
  for (const [p, values] of iipsByTarget) {
    const comp = p.box.component;
    const isStream = comp.style === 'non-looper' && (comp as NonLooperComponent).process[p.port] !== undefined;
    if (p.conn === null && values.length === 1 && !isStream) {
      p.iip = { value: values[0], activation: -1 };
      continue;
    }
    let conn = localConn.get(p);
    if (conn === undefined) {
      conn = new LocalConnection<Packet>(values.length, 0);
      if (p.conn !== null) {
        // Only remote senders so far: the IIPs become one more source of the fan-in.
        p.conn = joinSources(conn, [p.conn]);
      } else p.conn = conn;
    }
    for (const v of values) conn.preload(sched.own.inFlight('data', v));
  }

  // Non-looper streams: every stream element gets a connection (closed and empty if unfed).
  for (const box of boxes.values()) {
    const comp = box.component;
    if (comp.style !== 'non-looper') continue;
    const streams: InPortImpl[] = [];
    for (const p of box.ins) {
      const h = comp.process[p.port];
      if (h === undefined) continue;
      if (p.conn === null) p.conn = new LocalConnection<Packet>(1, 0);
      p.handler = h as InPortImpl['handler'];
      streams.push(p);
    }
    // Arrays filled by push carry spare capacity; exact copies keep idle boxes small.
    box.streams = streams.length === box.ins.length ? box.ins.slice() : streams.slice();
    // No params to read and no state to make: the first activation has nothing to do, so the
    // box starts as if it had run (scheduler/activate.ts startNonLooper), and direct delivery
    // (scheduler/direct.ts) applies from its first IP.
    if (streams.length > 0 && streams.length === box.ins.length && comp.state === undefined) box.phase = 1;
  }
  for (const box of boxes.values()) {
    if (box.streams.length === box.ins.length && box.streams.length > 0) box.ins = box.streams;
    else box.ins = box.ins.slice();
    box.outs = box.outs.slice();
  }
  for (const box of boxes.values()) for (const o of box.outs) o.direct = directTarget(o);

  return { sched, boxes, connections, wiring: wire ?? undefined };
}

/** A node's own budget: `metadata.budget` (a number, or text from `.fbp` metadata). */
export function nodeBudget(node: Graph['nodes'][number]): number | undefined {
  const raw = node.metadata.budget;
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new WeftError('E_USAGE', `${spanPrefix(node.span)}node ${node.id}: metadata budget must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * A node's `metadata.timeout` in ms (0: none): the longest it may go without a port operation,
 * computing or awaiting. A positive number, or its text from `.fbp` metadata.
 */
export function nodeTimeout(node: Graph['nodes'][number]): number {
  const raw = node.metadata.timeout;
  if (raw === undefined) return 0;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    throw new WeftError('E_USAGE', `${spanPrefix(node.span)}node ${node.id}: metadata timeout must be a positive number of milliseconds, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function makeElements<P>(decl: PortDecl, maxIndex: number | undefined, make: (index: number) => P): P | P[] {
  if (!decl.isArray) return make(-1);
  const n = (maxIndex ?? -1) + 1;
  const elements: P[] = [];
  for (let i = 0; i < n; i++) elements.push(make(i));
  return Object.freeze(elements) as P[];
}
