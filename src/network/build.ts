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
 */
import type { Component, NonLooperComponent } from '../component/define.ts';
import type { PortDecl } from '../component/port.ts';
import { LocalConnection } from '../connection/local-queue.ts';
import { WeftError } from '../errors.ts';
import type { Graph, PortRef } from '../graph/graph.ts';
import type { Packet } from '../ip/ip.ts';
import type { Box } from '../scheduler/box.ts';
import { InPortImpl, OutPortBase, OutPortImpl, SyncOutPortImpl } from '../scheduler/ports.ts';
import { Scheduler, type SchedulerOptions } from '../scheduler/scheduler.ts';
import { DEFAULT_CAPACITY } from '../scheduler/tuning.ts';

export interface BuildOptions extends SchedulerOptions {
  /** Default connection capacity (default DEFAULT_CAPACITY). */
  capacity?: number;
}

export interface ConnectionInfo {
  conn: LocalConnection<Packet>;
  /** The receiving port; `to.from` are the sending ports (label: edgeLabel(to)). */
  to: InPortImpl;
}

export interface BuiltNetwork {
  sched: Scheduler;
  boxes: Map<string, Box>;
  connections: ConnectionInfo[];
}

type Resolve = (node: { id: string; component: string }) => Component;

export function buildNetwork(graph: Graph, resolve: Resolve, opts: BuildOptions = {}): BuiltNetwork {
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

  for (const node of graph.nodes) {
    const comp = resolve(node);
    const budget = nodeBudget(node);
    const box = sched.addBox(node.id, node.component, comp, budget);
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

  /** The port element a (resolved) reference names, found through the box's views. */
  const element = <P>(view: 'inView' | 'outView', ref: PortRef): P => {
    const v = boxes.get(ref.node)?.[view][ref.port] as P | P[] | undefined;
    const p = ref.index === undefined ? v : (v as P[] | undefined)?.[ref.index];
    if (p === undefined || Array.isArray(p)) throw new Error(`internal: no port element for ${ref.node}.${ref.port}[${ref.index}]`);
    return p as P;
  };

  // Connections, one per target element.
  const byTarget = new Map<InPortImpl, Graph['edges']>();
  for (const e of graph.edges) {
    const to = element<InPortImpl>('inView', e.to);
    const list = byTarget.get(to);
    if (list) list.push(e);
    else byTarget.set(to, [e]);
  }
  const connections: ConnectionInfo[] = [];
  for (const [to, edges] of byTarget) {
    let capacity = 0;
    for (const e of edges) capacity = Math.max(capacity, e.capacity ?? 0);
    const conn = new LocalConnection<Packet>(capacity || defaultCapacity, edges.length);
    to.conn = conn;
    const from: OutPortBase[] = new Array(edges.length);
    edges.forEach((e, i) => {
      const src = element<OutPortBase>('outView', e.from);
      src.attach(conn);
      src.to = to;
      from[i] = src;
    });
    to.from = from.length === 1 ? from[0] : from;
    connections.push({ conn, to });
  }

  // IIPs.
  const iipsByTarget = new Map<InPortImpl, unknown[]>();
  for (const iip of graph.iips) {
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
    if (p.conn === null) p.conn = new LocalConnection<Packet>(values.length, 0);
    for (const v of values) p.conn.preload(sched.own.inFlight('data', v));
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
  }
  for (const box of boxes.values()) {
    if (box.streams.length === box.ins.length && box.streams.length > 0) box.ins = box.streams;
    else box.ins = box.ins.slice();
    box.outs = box.outs.slice();
  }

  return { sched, boxes, connections };
}

/** A node's own budget: `metadata.budget` (a number, or text from `.fbp` metadata). */
function nodeBudget(node: Graph['nodes'][number]): number | undefined {
  const raw = node.metadata.budget;
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new WeftError('E_USAGE', `node ${node.id}: metadata budget must be a positive integer, got ${JSON.stringify(raw)}`);
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
