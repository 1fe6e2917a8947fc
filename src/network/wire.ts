/**
 * Wiring across workers: what build.ts uses when it builds one worker's part of a network.
 *
 * - An edge whose ends are on different workers is a shared-memory ring (its SharedArrayBuffer
 *   made by the main thread and given to both workers): the sender's worker holds a
 *   RingSendEnd on the out-port, the receiver's worker a RingReceiveEnd on the in-port.
 * - An in-port fed from several places (senders here, rings from elsewhere, IIPs) gets a
 *   FanIn over them.
 * - Codecs get the network's shared arena (part.arena) when it has one: a port.shared() edge
 *   carries handles, and a ring end that discards such records frees their blocks; records
 *   published after a receive end closed are freed by releaseLate() at the end of the run.
 * - Boxes on other workers are represented by stubs (a label and a status) so that ports on
 *   this side can name their peer in reports and deadlock wait-for edges.
 */
import type { InConnection } from '../connection/connection.ts';
import { FanIn } from '../connection/fan-in.ts';
import type { LocalConnection } from '../connection/local-queue.ts';
import { OrderedMerge } from '../connection/ordered-merge.ts';
import { QueueReceiveEnd, QueueSendEnd } from '../connection/shared-queue.ts';
import { RingReceiveEnd, RingSendEnd, type PacketIO, type RingHost } from '../connection/shared-ring.ts';
import { formatEdge, type Edge, type Node, type PortRef } from '../graph/graph.ts';
import type { Packet } from '../ip/ip.ts';
import type { Box } from '../scheduler/box.ts';
import { READY } from '../scheduler/box.ts';
import { InPortImpl, OutPortBase } from '../scheduler/ports.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { ArenaViews } from '../shm/arena-views.ts';
import { codecFor, type Codec, type ValueLayout } from '../shm/codec.ts';
import type { QueueInit } from '../shm/mpmc.ts';
import { MergeView, ReplicaState } from '../shm/order.ts';
import type { RingInit } from '../shm/ring.ts';

/** One worker's share of a network. */
export interface Part {
  worker: number;
  /** Node id → worker. */
  placement: ReadonlyMap<string, number>;
  /**
   * When the graph given to build is a share of a larger one: the index of each of its edges
   * in the whole graph (rings are named by those). Absent: the same graph.
   */
  edgeIndex?: readonly number[];
  /** Rings of the edges that cross workers, by index into the whole graph's edges. */
  rings: ReadonlyMap<number, { init: RingInit; layout: ValueLayout }>;
  /** Shared queues feeding parallel replicas, by the edges' `metadata.queue` key. */
  queues: ReadonlyMap<string, { init: QueueInit; layout: ValueLayout }>;
  /** Order state of each ordered parallel node, by node id. */
  orders: ReadonlyMap<string, SharedArrayBuffer>;
  workers: number;
  host: RingHost;
  /** The network's shared arena, when one of its ports is port.shared(). */
  arena?: SharedArrayBuffer;
}

/** Receive ends in one: the source itself when there is one, else a FanIn. */
export function joinSources(local: LocalConnection<Packet> | null, remote: InConnection<Packet>[]): InConnection<Packet> {
  const all: InConnection<Packet>[] = local === null ? remote : [local, ...remote];
  if (all.length === 1) return all[0];
  return new FanIn(all);
}

export class Wiring {
  private readonly stubs = new Map<string, Box>();
  private readonly ports = new Map<string, InPortImpl | OutPortBase>();
  private readonly io: PacketIO<Packet>;
  /** Every end made here, for the worker's statistics (IPs through other threads). */
  readonly sendEnds: { carried: number }[] = [];
  readonly receiveEnds: { carried: number }[] = [];
  /** Ring receive ends whose values hold arena blocks, with their codecs (releaseLate). */
  private readonly holding: { end: RingReceiveEnd<Packet>; codec: Codec }[] = [];
  private readonly arena: ArenaViews | null;

  constructor(
    private readonly part: Part,
    sched: Scheduler,
  ) {
    const own = sched.own;
    this.arena = sched.arena;
    this.io = {
      kindOf: (p) => p.kind,
      valueOf: (p) => own.valueOf(p),
      make: (kind, value) => own.inFlight(kind, value),
    };
  }

  private sent<E extends { carried: number }>(e: E): E {
    this.sendEnds.push(e);
    return e;
  }
  private got<E extends { carried: number }>(e: E): E {
    this.receiveEnds.push(e);
    return e;
  }

  /** A port of a box on another worker (made once per element). */
  remotePort(view: 'inView' | 'outView', ref: PortRef): InPortImpl | OutPortBase {
    const key = `${view} ${ref.node} ${ref.port} ${ref.index ?? -1}`;
    let p = this.ports.get(key);
    if (p === undefined) {
      const box = this.stub(ref.node);
      p = view === 'inView' ? new InPortImpl(box, ref.port, ref.index ?? -1) : new OutPortBase(box, ref.port, ref.index ?? -1);
      this.ports.set(key, p);
    }
    return p;
  }

  private stub(node: string): Box {
    let b = this.stubs.get(node);
    if (b === undefined) {
      // Only what reports read: a label, and a status that is never DONE (its worker knows).
      b = { label: node, componentName: '', status: READY } as unknown as Box;
      this.stubs.set(node, b);
    }
    return b;
  }

  private ring(index: number, edge: { from: PortRef; to: PortRef }): { init: RingInit; layout: ValueLayout } {
    const r = this.part.rings.get(index);
    if (r === undefined) throw new Error(`internal: no ring for edge ${index} (${formatEdge(edge)})`);
    return r;
  }

  /** The sending side of a cross-worker edge, on this worker. */
  sendEnd(index: number, src: OutPortBase, to: InPortImpl, tag: { seq: number } | null = null): RingSendEnd<Packet> {
    const edge = { from: { node: src.box.label, port: src.name }, to: { node: to.box.label, port: to.name } };
    const { init, layout } = this.ring(index, edge);
    const peer = this.part.placement.get(to.box.label)!;
    return this.sent(new RingSendEnd(init, codecFor(layout, `${src.box.label}.${src.name} -> ${to.box.label}.${to.name}`, true, this.arena), this.io, this.part.host, peer, tag, src.box.looper));
  }

  private queue(key: string): { init: QueueInit; layout: ValueLayout } {
    const q = this.part.queues.get(key);
    if (q === undefined) throw new Error(`internal: no shared queue ${key}`);
    return q;
  }

  /** The producer side of a shared queue (one per out-port element feeding replicas). */
  queueSendEnd(key: string, src: OutPortBase, to: InPortImpl): QueueSendEnd<Packet> {
    const { init, layout } = this.queue(key);
    const where = `${src.box.label}.${src.name} -> ${to.box.label.replace(/#\d+$/, '')}.${to.name}`;
    return this.sent(new QueueSendEnd(init, codecFor(layout, where, false, this.arena), this.io, this.part.host, this.part.workers, where));
  }

  /** One replica's side of a shared queue (with its order state when the node is ordered). */
  queueReceiveEnd(key: string, edge: Edge, replica: Node): QueueReceiveEnd<Packet> {
    const { init, layout } = this.queue(key);
    const producer = this.part.placement.get(edge.from.node)!;
    const of = replica.metadata.replicaOf as string | undefined;
    const sab = of === undefined ? undefined : this.part.orders.get(of);
    const order = sab === undefined ? null : { state: new ReplicaState(sab, replica.metadata.replica as number, this.part.workers), tag: this.tagOf(replica.id) };
    return this.got(new QueueReceiveEnd(init, codecFor(layout, formatEdge(edge), false, this.arena), this.io, this.part.host, this.part.worker, producer, order));
  }

  private readonly tags = new Map<string, { seq: number }>();
  /** The current input number of a replica, shared by its queue end and its output rings. */
  tagOf(replica: string): { seq: number } {
    let t = this.tags.get(replica);
    if (t === undefined) this.tags.set(replica, (t = { seq: 0 }));
    return t;
  }

  /** The merge of an ordered node's outputs into one in-port: one ring per replica. */
  orderedMerge(edges: { edge: Edge; index: number }[]): OrderedMerge<Packet> {
    const node = edges[0].edge.metadata.order as string;
    const sab = this.part.orders.get(node);
    if (sab === undefined) throw new Error(`internal: no order state for ${node}`);
    const sources: RingReceiveEnd<Packet>[] = [];
    for (const { edge, index } of edges) sources[edge.metadata.replica as number] = this.receiveEnd(index, edge);
    return new OrderedMerge(sources, new MergeView(sab), this.part.host, this.part.worker);
  }

  /** The receiving side of a cross-worker edge, on this worker. */
  receiveEnd(index: number, edge: Edge): RingReceiveEnd<Packet> {
    const { init, layout } = this.ring(index, edge);
    const peer = this.part.placement.get(edge.from.node)!;
    const codec = codecFor(layout, formatEdge(edge), true, this.arena);
    const end = new RingReceiveEnd(init, codec, this.io, this.part.host, peer);
    if (codec.release !== undefined) this.holding.push({ end, codec });
    return this.got(end);
  }

  /**
   * After this worker's run: free the arena blocks of records a sender published after the
   * receive end had closed (the sender saw it open just before). Call once the worker's
   * network has ended, after counting them (lateDiscards).
   */
  releaseLate(): void {
    for (const { end, codec } of this.holding) {
      try {
        for (let p = end.tryReceive(); p !== undefined; p = end.tryReceive()) if (p.kind === 'data') codec.release!(this.io.valueOf(p));
      } catch {
        // A block freed twice by a box: the network failed already, nothing left to free.
      }
    }
  }
}
