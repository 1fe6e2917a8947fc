/**
 * Placement: which worker thread runs each box. A pure function of the graph's nodes, edges
 * and metadata and the worker count; no threads, no I/O.
 *
 * Why it matters: an edge between boxes on different workers becomes a shared-memory ring
 * (about 100 ns or more per IP, plus a wake-up across threads); an edge within a worker is an
 * in-thread queue. So a placement wants (1) the expected load spread evenly over the workers
 * and (2) few cross-worker edges, counted with multiplicity (two edges between the same pair of
 * nodes cost twice).
 *
 * Node metadata read here:
 * - `worker`: pin the node to that worker. A number, or the decimal text `.fbp` gives
 *   (`A(core/Repeat:worker=1)`); an integer >= 0 and < the worker count.
 * - `load`: expected load weight, a number or numeric text > 0; default 1.
 * Anything else is E_USAGE, naming the node and, when the node has one, its file:line:col.
 *
 * Algorithm (partition.ts): pinned nodes first; then each worker grows a contiguous region by
 * best gain from its pins or from the first unplaced node in flow order (breadth-first from
 * the sources), up to its share of the remaining weight; then moves off workers above
 * 1.02 × average; then passes of local refinement that move a node to a neighbouring worker
 * when that strictly lowers the cut and keeps the loads within 10% of the average (or within
 * the spread balancing could reach, if wider).
 *
 * Invariants of the result:
 * - every node is on exactly one worker in 0..workers-1, and a pinned node on its pin;
 * - `load[w]` is the sum of the weights of the nodes on w (summed in node order);
 * - `crossEdges` is exactly the ascending list of edges whose two ends are on different
 *   workers (a self loop never is);
 * - the same input and worker count give the same placement: no randomness, ties go to the
 *   earlier node in flow order, then to the lower worker index;
 * - one worker: everything on worker 0, no cross edges;
 * - without pins, the heaviest worker carries at most max(1.1 × average, average + the
 *   heaviest node): balancing stops only when no node can move off the heaviest worker
 *   without making its target at least as heavy, and refinement stays within that bound.
 */
import type { SourceSpan } from '../graph/graph.ts';
import { readPlacementInput } from './input.ts';
import { buildProblem, HOW, partition, type Partition, type Problem } from './partition.ts';

export { explainPlacement } from './explain.ts';

export interface PlacementNode {
  id: string;
  metadata: Record<string, unknown>;
  span?: SourceSpan;
}

/** An edge end; a port, when given, is shown by explainPlacement (`A.OUT -> B.IN`). */
export interface PlacementEnd {
  node: string;
  port?: string;
  index?: number;
}

export interface PlacementEdge {
  from: PlacementEnd;
  to: PlacementEnd;
  metadata?: Record<string, unknown>;
}

export interface PlacementInput {
  nodes: ReadonlyArray<PlacementNode>;
  edges: ReadonlyArray<PlacementEdge>;
}

export interface Placement {
  workers: number;
  /** node id -> worker index 0..workers-1 */
  worker: Map<string, number>;
  /** expected load per worker (sum of node weights) */
  load: number[];
  /** edges whose ends are on different workers (indices into input.edges) */
  crossEdges: number[];
  /** per node, a short human reason: 'pinned (metadata worker=1)', 'with its neighbour B', ... */
  reason: Map<string, string>;
}

export function place(input: PlacementInput, workers: number): Placement {
  const data = readPlacementInput(input, workers);
  const problem = buildProblem(workers, data.weight, data.pin, data.ends);
  const part = workers === 1 ? single(problem) : partition(problem);
  const worker = new Map<string, number>();
  const load = new Array<number>(workers).fill(0);
  input.nodes.forEach((node, i) => {
    worker.set(node.id, part.worker[i]);
    load[part.worker[i]] += data.weight[i];
  });
  const crossEdges: number[] = [];
  for (let e = 0; e < input.edges.length; e++) {
    if (part.worker[data.ends[2 * e]] !== part.worker[data.ends[2 * e + 1]]) crossEdges.push(e);
  }
  return { workers, worker, load, crossEdges, reason: reasons(input, problem, part) };
}

function single(p: Problem): Partition {
  return {
    worker: new Int32Array(p.n),
    load: new Float64Array(1),
    how: new Uint8Array(p.n).fill(HOW.GROWN),
    from: new Int32Array(p.n).fill(-1),
  };
}

/**
 * The reason of each node, from where it ended up: a pin; a balancing move; else the neighbour
 * on the same worker it shares the most edges with (earliest node on a tie).
 */
function reasons(input: PlacementInput, p: Problem, part: Partition): Map<string, string> {
  const out = new Map<string, string>();
  input.nodes.forEach((node, v) => {
    if (part.how[v] === HOW.PINNED) {
      out.set(node.id, `pinned (metadata worker=${p.pin[v]})`);
      return;
    }
    if (part.how[v] === HOW.BALANCE) {
      out.set(node.id, `balance (moved from worker ${part.from[v]})`);
      return;
    }
    let mate = -1, edges = 0;
    for (let j = p.adjStart[v]; j < p.adjStart[v + 1]; j++) {
      const u = p.adjNode[j];
      if (part.worker[u] !== part.worker[v]) continue;
      if (p.adjWeight[j] > edges || (p.adjWeight[j] === edges && u < mate)) {
        mate = u;
        edges = p.adjWeight[j];
      }
    }
    let text: string;
    if (mate >= 0) {
      text = `with its neighbour ${input.nodes[mate].id}`;
      if (edges > 1) text += ` (${edges} edges)`;
      if (part.how[v] === HOW.REFINE) text += `, moved from worker ${part.from[v]} to cut edges`;
    } else if (p.adjStart[v] === p.adjStart[v + 1]) text = 'balance (no edges)';
    else text = 'balance (no neighbour on this worker)';
    out.set(node.id, text);
  });
  return out;
}
