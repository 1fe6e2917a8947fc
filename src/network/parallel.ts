/**
 * Parallel nodes: `metadata.parallel` (a count, or `auto` for one per worker) asks for that
 * many replicas of a node, spread over the workers. This is a rewrite of the flat graph made
 * before placement, when a network runs on more than one worker:
 *
 *   U.OUT -> IN X    (X parallel 3)    becomes   U.OUT -> IN X#1, U.OUT -> IN X#2, U.OUT -> IN X#3
 *   X.OUT -> IN D                                X#1.OUT -> IN D, X#2.OUT -> IN D, X#3.OUT -> IN D
 *
 * The edges from U all carry `metadata.queue` (one key per original edge and producer): they
 * are one shared queue (shm/mpmc.ts) that every replica takes from, not a fan-out. IIPs go to every replica.
 * Replica k is pinned to worker (k - 1) mod workers unless the node itself is pinned (then all
 * replicas stay there: useful for concurrency of async boxes, not for parallelism).
 *
 * A replica must not depend on state kept between IPs: which replica gets an IP is a race.
 * Output order across replicas is not kept, unless the node says `ordered`: then each edge out
 * of the replicas carries `metadata.merge` (one key per original edge), `order` (the node) and
 * `replica` (its number), and the receiving side merges them back into input order
 * (connection/ordered-merge.ts). An ordered node has exactly one input edge.
 */
import { WeftError } from '../errors.ts';
import { spanPrefix } from '../graph/diagnostic.ts';
import type { Edge, Graph, IIP, Node } from '../graph/graph.ts';

export const MAX_REPLICAS = 1024;

/** The replica count a node asks for (1 when it does not). */
export function replicasOf(node: Node, workers: number): number {
  const raw = node.metadata.parallel;
  if (raw === undefined || raw === false) return 1;
  if (raw === 'auto') return workers;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_REPLICAS) {
    throw new WeftError('E_USAGE', `${spanPrefix(node.span)}node ${node.id}: metadata parallel must be an integer in 1..${MAX_REPLICAS} or 'auto', got ${JSON.stringify(raw)}`);
  }
  return n;
}

export const replicaId = (node: string, k: number) => `${node}#${k}`;

/** `metadata.ordered`: true, or the text 'true' from `.fbp`. */
export function isOrdered(node: Node): boolean {
  const o = node.metadata.ordered;
  if (o === undefined || o === false || o === 'false') return false;
  if (o === true || o === 'true') return true;
  throw new WeftError('E_USAGE', `node ${node.id}: metadata ordered must be true or false, got ${JSON.stringify(o)}`);
}

/** Rewrite parallel nodes into replicas. Returns the graph unchanged when there are none. */
export function expandParallel(graph: Graph, workers: number): Graph {
  const count = new Map<string, number>();
  for (const n of graph.nodes) {
    const r = replicasOf(n, workers);
    if (r > 1) count.set(n.id, r);
  }
  if (count.size === 0) return graph;
  const ids = new Set(graph.nodes.map((n) => n.id));
  const ordered = new Set<string>();
  const nodes: Node[] = [];
  for (const n of graph.nodes) {
    const r = count.get(n.id);
    if (r === undefined) {
      nodes.push(n);
      continue;
    }
    const pinned = n.metadata.worker;
    for (let k = 1; k <= r; k++) {
      const id = replicaId(n.id, k);
      if (ids.has(id)) throw new WeftError('E_USAGE', `node ${n.id} is parallel, and its replica name ${id} is already a node`);
      const { parallel: _p, ...metadata } = n.metadata;
      nodes.push({ ...n, id, metadata: { ...metadata, worker: pinned ?? (k - 1) % workers, replicaOf: n.id, replica: k - 1 } });
    }
    if (isOrdered(n)) {
      const inputs = graph.edges.filter((e) => e.to.node === n.id);
      if (inputs.length !== 1) {
        throw new WeftError('E_USAGE', `node ${n.id} is parallel and ordered: it needs exactly one input edge (it has ${inputs.length}), so that its inputs have one order to restore`);
      }
      ordered.add(n.id);
    }
  }
  const fan = (node: string): string[] => {
    const r = count.get(node);
    return r === undefined ? [node] : Array.from({ length: r }, (_, i) => replicaId(node, i + 1));
  };
  const edges: Edge[] = [];
  graph.edges.forEach((e, index) => {
    const froms = fan(e.from.node);
    const tos = fan(e.to.node);
    if (ordered.has(e.from.node) && tos.length > 1) {
      throw new WeftError('E_USAGE', `${e.from.node} -> ${e.to.node}: an ordered parallel node cannot feed a parallel node directly; put a box between them`);
    }
    froms.forEach((f, k) => {
      // One queue per producer: replicas feeding replicas give each producer its own queue.
      const queue = tos.length > 1 ? { queue: `q${index}:${f}` } : {};
      // Outputs of an ordered node meet again in one merge per original edge.
      const merge = ordered.has(e.from.node) ? { merge: `m${index}`, order: e.from.node, replica: k } : {};
      for (const t of tos) edges.push({ ...e, from: { ...e.from, node: f }, to: { ...e.to, node: t }, metadata: { ...e.metadata, ...queue, ...merge } });
    });
  });
  const iips: IIP[] = [];
  for (const iip of graph.iips) for (const t of fan(iip.to.node)) iips.push({ ...iip, to: { ...iip.to, node: t } });
  return { ...graph, nodes, edges, iips };
}
