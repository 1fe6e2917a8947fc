/**
 * Each worker's share of a network, made by the main thread before the workers start: the
 * rings of the edges that cross workers, the shared queues of parallel nodes, the order state
 * of ordered ones, the doorbells, the shared arena (one for the whole network, made only when
 * some port of its components is port.shared()), and the part of the graph the worker builds.
 *
 * A worker gets only its nodes, the edges that touch them (with their indexes in the whole
 * graph: a ring is named by its edge's index) and the IIPs of its nodes, so that a network of
 * a million boxes is not copied whole into every worker.
 */
import type { PortDecl } from '../component/port.ts';
import { anyShared, layoutOf } from '../component/port.ts';
import { formatEdge, type Graph } from '../graph/graph.ts';
import { isOrdered } from '../network/parallel.ts';
import type { Registry } from '../network/registry.ts';
import { DEFAULT_CAPACITY } from '../scheduler/tuning.ts';
import { MAX_CAPACITY } from '../connection/local-queue.ts';
import { codecFor, edgeLayout, type ValueLayout } from '../shm/codec.ts';
import { createArenaBuffer, DEFAULT_ARENA_BYTES } from '../shm/arena.ts';
import { createDoorbells } from '../shm/doorbell.ts';
import { createQueue, type QueueInit } from '../shm/mpmc.ts';
import { createOrderState } from '../shm/order.ts';
import { createRing } from '../shm/ring.ts';
import type { WorkerInit } from './protocol.ts';

/** Payload bytes per slot of a shared queue carrying encoded values (larger ones span slots). */
const QUEUE_SLOT_PAYLOAD = 240;

/** Ring data bytes for a connection: room for `capacity` records, and then some. */
export function ringBytes(capacity: number, fixed: number): number {
  if (fixed >= 0) return Math.max(256, capacity * (4 + ((fixed + 3) & ~3)) * 2);
  return Math.max(1 << 16, capacity * 256);
}

export interface ShareOptions {
  workers: number;
  capacity?: number;
  checked?: boolean;
  timing?: boolean;
  budget?: number;
  arenaBytes?: number;
  components: string[];
  pin?: boolean;
}

type Edge = Graph['edges'][number];

/** How values cross an edge: the in-port's machine type, else the out-port's, else msgpack. */
function edgeLayouts(graph: Graph, registry: Registry): (e: Edge) => ValueLayout {
  const nodeById = new Map(graph.nodes.map((nd) => [nd.id, nd]));
  const declOf = (node: string, side: 'inPorts' | 'outPorts', name: string): ValueLayout => {
    const entry = registry.entry(nodeById.get(node)!.component);
    const decl = entry && entry.kind === 'component' ? (entry.component[side][name] as PortDecl | undefined) : undefined;
    return decl ? layoutOf(decl) : { kind: 'any' };
  };
  return (e) => edgeLayout(declOf(e.from.node, 'outPorts', e.from.port), declOf(e.to.node, 'inPorts', e.to.port));
}

/** One WorkerInit per worker, for a flat graph (parallel nodes expanded) and its placement. */
export function workerInits(graph: Graph, where: ReadonlyMap<string, number>, registry: Registry, opts: ShareOptions, beats: SharedArrayBuffer): WorkerInit[] {
  const n = opts.workers;
  const layoutOfEdge = edgeLayouts(graph, registry);
  const capacityOf = (e: Edge) => e.capacity ?? opts.capacity ?? DEFAULT_CAPACITY;

  const rings = new Map<number, WorkerInit['rings'][number][1]>();
  const queues = new Map<string, { init: QueueInit; layout: ValueLayout }>();
  const replicas = new Map<string, number>();
  for (const e of graph.edges) {
    const key = e.metadata.queue as string | undefined;
    if (key !== undefined) replicas.set(key, (replicas.get(key) ?? 0) + 1);
  }
  graph.edges.forEach((e, i) => {
    const key = e.metadata.queue as string | undefined;
    if (key !== undefined) {
      if (queues.has(key)) return;
      const layout = layoutOfEdge(e);
      const fixed = codecFor(layout, formatEdge(e)).fixedSize;
      // The queue stands for one connection of the edge's capacity per replica (as a
      // LoadBalance into K connections would buffer): with fewer slots than replicas, free
      // replicas wait on the producer instead of working (bench/scaling.ts, 16 workers).
      const k = replicas.get(key)!;
      const slots = Math.min(capacityOf(e) * k, MAX_CAPACITY);
      queues.set(key, { init: createQueue(slots, fixed >= 0 ? fixed : QUEUE_SLOT_PAYLOAD, k), layout });
      return;
    }
    // An ordered node's outputs always go through rings (they carry input numbers).
    if (where.get(e.from.node) === where.get(e.to.node) && e.metadata.merge === undefined) return;
    const layout = layoutOfEdge(e);
    const fixed = codecFor(layout, formatEdge(e)).fixedSize;
    const capacity = capacityOf(e);
    rings.set(i, { init: createRing(capacity, ringBytes(capacity, fixed)), layout });
  });

  const replicasOf = new Map<string, number>();
  for (const node of graph.nodes) {
    const of = node.metadata.replicaOf as string | undefined;
    if (of !== undefined && isOrdered(node)) replicasOf.set(of, (replicasOf.get(of) ?? 0) + 1);
  }
  const orders: [string, SharedArrayBuffer][] = [...replicasOf].map(([id, k]) => [id, createOrderState(k)]);

  const parts = Array.from({ length: n }, () => ({ nodes: [] as Graph['nodes'], edges: [] as Edge[], edgeIndex: [] as number[], iips: [] as Graph['iips'], placement: new Map<string, number>() }));
  for (const node of graph.nodes) {
    const w = where.get(node.id)!;
    parts[w].nodes.push(node);
    parts[w].placement.set(node.id, w);
  }
  graph.edges.forEach((e, i) => {
    const a = where.get(e.from.node)!;
    const b = where.get(e.to.node)!;
    for (const w of a === b ? [a] : [a, b]) {
      const p = parts[w];
      p.edges.push(e);
      p.edgeIndex.push(i);
      p.placement.set(e.from.node, a);
      p.placement.set(e.to.node, b);
    }
  });
  for (const iip of graph.iips) parts[where.get(iip.to.node)!].iips.push(iip);

  const doorbells = createDoorbells(n);
  const usesArena = graph.nodes.some((nd) => {
    const e = registry.entry(nd.component);
    return e !== undefined && e.kind === 'component' && anyShared(e.component.inPorts, e.component.outPorts);
  });
  const arena = usesArena ? createArenaBuffer(opts.arenaBytes ?? DEFAULT_ARENA_BYTES) : undefined;
  const { capacity, checked, timing, budget, components } = opts;
  const options = { capacity, checked, timing, budget };
  const q = [...queues.entries()];
  return parts.map((p, worker) => ({
    worker,
    workers: n,
    graph: { ...graph, nodes: p.nodes, edges: p.edges, iips: p.iips },
    edgeIndex: p.edgeIndex,
    placement: [...p.placement],
    rings: p.edgeIndex.filter((i) => rings.has(i)).map((i) => [i, rings.get(i)!] as WorkerInit['rings'][number]),
    queues: q,
    orders,
    doorbells,
    beats,
    arena,
    components,
    pin: opts.pin,
    options,
  }));
}
