/**
 * partition: the placement algorithm on dense node indices (placement.ts states the contract
 * and turns node ids and metadata into a Problem).
 *
 * Four phases, each deterministic (every tie goes to the earlier node in flow order, then the
 * lower worker index):
 * 1. pins: a pinned node is on its worker from the start and never moves.
 * 2. growth: workers are filled one after the other (workers with pins first), each to its
 *    share of what is left: target = (unplaced weight + load already on this and the later
 *    workers) / (workers left). A worker grows from its pinned nodes, else from the first
 *    unplaced node in flow order, by taking the frontier node with the best gain (its edges
 *    into the region minus all its other edges), so that the region stays contiguous, closes
 *    over chatty clusters, and leaves alone nodes tied to another worker's pins. A node is
 *    taken only if the load gets closer to the target (or the worker is still empty); one that
 *    would overshoot is skipped for this worker. When the frontier is empty the next unplaced
 *    node in flow order seeds it again. The last worker takes everything left.
 * 3. balance: while the heaviest worker is over `BALANCE_SLACK` × average, move one of its free
 *    nodes to a worker that stays lighter than the heaviest was (so the sum of squared loads
 *    falls strictly and the phase ends), choosing the move that loses the fewest internal edges.
 * 4. refinement: up to `REFINE_PASSES` passes over the nodes in flow order; a free node moves to
 *    the neighbouring worker it has the most edges with when that strictly lowers the weighted
 *    cut and both loads stay within [min(0.9 avg, lightest), max(1.1 avg, heaviest)] as left by
 *    phase 3: refinement never makes the balance worse than those bounds.
 *
 * Cost: growth is O(E log E + n·k) (a heap with lazy deletion), a refinement pass O(E + n·k),
 * balance O(n·k + E) per move, and it moves little after growth. A sparse graph of 10,000
 * nodes places in tens of milliseconds (placement.property.test.ts).
 */

/** How a node got where it is, for the reason text. */
export const HOW = { PINNED: 0, GROWN: 1, BALANCE: 2, REFINE: 3 } as const;

export const BALANCE_SLACK = 1.02;
export const REFINE_SLACK = 0.1;
export const REFINE_PASSES = 8;

export interface Problem {
  n: number;
  k: number;
  weight: Float64Array;
  /** worker index, or -1 for a free node */
  pin: Int32Array;
  /** undirected adjacency (CSR), parallel edges merged into one weight, no self loops */
  adjStart: Int32Array;
  adjNode: Int32Array;
  adjWeight: Float64Array;
  /** flow order: breadth-first from the sources (no incoming edge) in node order, then the rest */
  order: Int32Array;
}

export interface Partition {
  worker: Int32Array;
  load: Float64Array;
  how: Uint8Array;
  /** the worker a moved node came from (balance or refinement), else -1 */
  from: Int32Array;
}

/** `ends` holds two node indices per edge: from, to. */
export function buildProblem(k: number, weight: Float64Array, pin: Int32Array, ends: Int32Array): Problem {
  const n = weight.length;
  const indeg = new Int32Array(n);
  const start = new Int32Array(n + 1);
  for (let e = 0; e < ends.length; e += 2) {
    const u = ends[e], v = ends[e + 1];
    if (u === v) continue;
    indeg[v]++;
    start[u + 1]++;
    start[v + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const raw = new Int32Array(start[n]);
  for (let e = 0; e < ends.length; e += 2) {
    const u = ends[e], v = ends[e + 1];
    if (u === v) continue;
    raw[fill[u]++] = v;
    raw[fill[v]++] = u;
  }
  // Merge parallel edges, keeping neighbours in order of first appearance.
  const adjStart = new Int32Array(n + 1);
  const adjNode = new Int32Array(raw.length);
  const adjWeight = new Float64Array(raw.length);
  const slot = new Int32Array(n).fill(-1);
  let m = 0;
  for (let u = 0; u < n; u++) {
    adjStart[u] = m;
    for (let i = start[u]; i < start[u + 1]; i++) {
      const v = raw[i];
      if (slot[v] >= 0) adjWeight[slot[v]]++;
      else {
        slot[v] = m;
        adjNode[m] = v;
        adjWeight[m++] = 1;
      }
    }
    for (let j = adjStart[u]; j < m; j++) slot[adjNode[j]] = -1;
  }
  adjStart[n] = m;
  const order = flowOrder({ n, k, weight, pin, adjStart, adjNode, adjWeight }, indeg);
  return { n, k, weight, pin, adjStart, adjNode, adjWeight, order };
}

function flowOrder(p: Omit<Problem, 'order'>, indeg: Int32Array): Int32Array {
  const order = new Int32Array(p.n);
  const seen = new Uint8Array(p.n);
  let len = 0;
  const visit = (s: number): void => {
    if (seen[s]) return;
    seen[s] = 1;
    order[len++] = s;
    for (let head = len - 1; head < len; head++) {
      const u = order[head];
      for (let j = p.adjStart[u]; j < p.adjStart[u + 1]; j++) {
        const v = p.adjNode[j];
        if (!seen[v]) {
          seen[v] = 1;
          order[len++] = v;
        }
      }
    }
  };
  for (let s = 0; s < p.n; s++) if (indeg[s] === 0) visit(s);
  for (let s = 0; s < p.n; s++) visit(s);
  return order;
}

export function partition(p: Problem): Partition {
  const part: Partition = {
    worker: new Int32Array(p.n).fill(-1),
    load: new Float64Array(p.k),
    how: new Uint8Array(p.n).fill(HOW.GROWN),
    from: new Int32Array(p.n).fill(-1),
  };
  for (let v = 0; v < p.n; v++) {
    if (p.pin[v] < 0) continue;
    part.worker[v] = p.pin[v];
    part.load[p.pin[v]] += p.weight[v];
    part.how[v] = HOW.PINNED;
  }
  grow(p, part);
  balance(p, part);
  refine(p, part);
  return part;
}

/** A max-heap on (gain, then earlier flow rank), with lazy deletion by the caller. */
class Frontier {
  private readonly gain: number[] = [];
  private readonly rank: number[] = [];
  private readonly node: number[] = [];

  get size(): number {
    return this.node.length;
  }

  private before(i: number, j: number): boolean {
    return this.gain[i] > this.gain[j] || (this.gain[i] === this.gain[j] && this.rank[i] < this.rank[j]);
  }

  private swap(i: number, j: number): void {
    for (const a of [this.gain, this.rank, this.node]) [a[i], a[j]] = [a[j], a[i]];
  }

  push(gain: number, rank: number, node: number): void {
    this.gain.push(gain);
    this.rank.push(rank);
    this.node.push(node);
    for (let i = this.node.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (!this.before(i, up)) break;
      this.swap(i, up);
      i = up;
    }
  }

  /** Removes the top; returns [gain, node]. */
  pop(): [number, number] {
    const top: [number, number] = [this.gain[0], this.node[0]];
    const last = this.node.length - 1;
    this.swap(0, last);
    this.gain.pop();
    this.rank.pop();
    this.node.pop();
    for (let i = 0; ; ) {
      const l = 2 * i + 1, r = l + 1;
      let best = i;
      if (l < last && this.before(l, best)) best = l;
      if (r < last && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }
}

function grow(p: Problem, part: Partition): void {
  const { n, k, weight, adjStart, adjNode, adjWeight, order } = p;
  const { worker, load } = part;
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[order[i]] = i;
  let unplaced = 0;
  const degree = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    if (worker[v] < 0) unplaced += weight[v];
    for (let j = adjStart[v]; j < adjStart[v + 1]; j++) degree[v] += adjWeight[j];
  }
  const toRegion = new Float64Array(n);
  const touched: number[] = [];
  const skipped = new Int32Array(n).fill(-1);
  const pinned = new Uint8Array(k);
  for (let v = 0; v < n; v++) if (p.pin[v] >= 0) pinned[p.pin[v]] = 1;
  const sequence = [...Array(k).keys()].sort((a, b) => pinned[b] - pinned[a] || a - b);
  let firstUnplaced = 0;

  for (let s = 0; s < k; s++) {
    const w = sequence[s];
    const last = s === k - 1;
    let rest = unplaced;
    for (let t = s; t < k; t++) rest += load[sequence[t]];
    const target = rest / (k - s);
    for (const t of touched) toRegion[t] = 0;
    touched.length = 0;
    const frontier = new Frontier();
    const reach = (v: number): void => {
      for (let j = adjStart[v]; j < adjStart[v + 1]; j++) {
        const u = adjNode[j];
        if (worker[u] >= 0) continue;
        if (toRegion[u] === 0) touched.push(u);
        toRegion[u] += adjWeight[j];
        frontier.push(2 * toRegion[u] - degree[u], rank[u], u);
      }
    };
    for (let v = 0; v < n; v++) if (p.pin[v] === w) reach(v);
    while (firstUnplaced < n && worker[order[firstUnplaced]] >= 0) firstUnplaced++;
    let seedAt = firstUnplaced;

    while (last || load[w] < target) {
      let v = -1;
      while (frontier.size > 0) {
        const [gain, u] = frontier.pop();
        if (worker[u] < 0 && skipped[u] !== w && gain === 2 * toRegion[u] - degree[u]) {
          v = u;
          break;
        }
      }
      if (v < 0) {
        while (seedAt < n && (worker[order[seedAt]] >= 0 || skipped[order[seedAt]] === w)) seedAt++;
        if (seedAt === n) break;
        v = order[seedAt];
      }
      const after = load[w] + weight[v];
      if (!last && load[w] > 0 && after > target && after - target >= target - load[w]) {
        skipped[v] = w;
        continue;
      }
      worker[v] = w;
      load[w] = after;
      unplaced -= weight[v];
      reach(v);
    }
  }
}

/** Adds each neighbour's edge weight to `conn[worker of neighbour]`; `clear` undoes it. */
function connections(p: Problem, worker: Int32Array, v: number, conn: Float64Array, clear: boolean): void {
  for (let j = p.adjStart[v]; j < p.adjStart[v + 1]; j++) {
    const w = worker[p.adjNode[j]];
    conn[w] = clear ? 0 : conn[w] + p.adjWeight[j];
  }
}

function total(load: Float64Array): number {
  let sum = 0;
  for (const l of load) sum += l;
  return sum;
}

function balance(p: Problem, part: Partition): void {
  const { n, k, weight, order } = p;
  const { worker, load } = part;
  const goal = (total(load) / k) * BALANCE_SLACK;
  const conn = new Float64Array(k);
  const byLoad = [...Array(k).keys()];
  for (let moves = 0; moves < 4 * n + k; moves++) {
    byLoad.sort((a, b) => load[b] - load[a] || a - b);
    let moved = false;
    for (const h of byLoad) {
      if (load[h] <= goal) break;
      let bestV = -1, bestT = -1, bestGain = -Infinity;
      for (const v of order) {
        if (worker[v] !== h || p.pin[v] >= 0) continue;
        connections(p, worker, v, conn, false);
        for (let t = 0; t < k; t++) {
          if (t === h || load[t] + weight[v] >= load[h]) continue;
          const gain = conn[t] - conn[h];
          if (gain > bestGain || (gain === bestGain && load[t] < load[bestT])) {
            bestV = v;
            bestT = t;
            bestGain = gain;
          }
        }
        connections(p, worker, v, conn, true);
      }
      if (bestV < 0) continue;
      worker[bestV] = bestT;
      load[h] -= weight[bestV];
      load[bestT] += weight[bestV];
      part.how[bestV] = HOW.BALANCE;
      part.from[bestV] = h;
      moved = true;
      break;
    }
    if (!moved) return;
  }
}

function refine(p: Problem, part: Partition): void {
  const { k, weight, order } = p;
  const { worker, load } = part;
  const avg = total(load) / k;
  const upper = Math.max(avg * (1 + REFINE_SLACK), ...load);
  const lower = Math.min(avg * (1 - REFINE_SLACK), ...load);
  const conn = new Float64Array(k);
  for (let pass = 0; pass < REFINE_PASSES; pass++) {
    let moves = 0;
    for (const v of order) {
      if (p.pin[v] >= 0) continue;
      const own = worker[v];
      connections(p, worker, v, conn, false);
      let best = own, bestGain = 0;
      for (let j = p.adjStart[v]; j < p.adjStart[v + 1]; j++) {
        const t = worker[p.adjNode[j]];
        if (t === own || load[t] + weight[v] > upper || load[own] - weight[v] < lower) continue;
        const gain = conn[t] - conn[own];
        if (gain > bestGain || (gain === bestGain && best !== own && t < best)) {
          best = t;
          bestGain = gain;
        }
      }
      connections(p, worker, v, conn, true);
      if (best === own) continue;
      worker[v] = best;
      load[own] -= weight[v];
      load[best] += weight[v];
      part.how[v] = HOW.REFINE;
      part.from[v] = own;
      moves++;
    }
    if (moves === 0) return;
  }
}
