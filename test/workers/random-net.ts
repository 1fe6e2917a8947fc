/**
 * Seeded random networks for the conservation suite, built as Graph data from the stress
 * fixture components (test/fixtures/components/stress) and core/Output, core/Concat and
 * core/Split, with random per-edge capacities (1, 2, 4), pins (`worker` metadata) and budgets.
 *
 * A *stream* is an out-port element not connected yet, with the set of (s, p) keys it carries:
 * Source s starts key (s, ''); SplitTag turns key (s, p) into (s, p+'0') and (s, p+'1'); every
 * other box passes keys on unchanged. Each Output adds the keys it receives to `expected` (a
 * key printed by two Outputs, after core/Split or an Output passing IPs on, is expected
 * twice), so the check knows, for every (s, p), how many copies of q = 0..N-1 to find.
 *
 * Never a deadlock by construction:
 * - streams merge (fan-in into one in-port) only when their key sets are disjoint;
 * - core/Concat, which reads its inputs one after another, only takes *whole* streams: streams
 *   that carry everything their sources send (no SplitTag or Split upstream), so nothing
 *   upstream of a Concat input can be held up by a sibling branch waiting on the Concat.
 */
import type { Graph } from '../../src/index.ts';
import { emptyGraph } from '../../src/index.ts';
import { rng } from '../helpers/rng.ts';

export interface Key {
  s: number;
  p: string;
}

interface Stream {
  from: { node: string; port: string; index?: number };
  keys: Key[];
  whole: boolean;
}

export interface RandomRun {
  seed: number;
  workers: number;
  graph: Graph;
  /** `s p` → number of copies of q = 0..N-1 expected on stdout. */
  expected: Map<string, { s: number; p: string; n: number; copies: number }>;
  /** The networks (connected parts) in this run. */
  networks: number;
  /** IPs expected on stdout in all. */
  lines: number;
}

export const keyOf = (s: number, p: string) => `${s} ${p}`;

/** A run of `networks` independent random networks on a random worker count 2..4. */
export function randomRun(seed: number, networks: number, maxLines = 2500): RandomRun {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;

  const workers = int(2, 4);
  const g = emptyGraph();
  const expected: RandomRun['expected'] = new Map();
  let nextS = 1;
  let total = 0;

  for (let net = 0; net < networks; net++) {
    let seq = 0;
    const id = (kind: string) => `n${net}${kind}${seq++}`;
    const addNode = (kind: string, component: string): string => {
      const nid = id(kind);
      const metadata: Record<string, unknown> = {};
      if (chance(0.35)) metadata.worker = int(0, workers - 1);
      if (chance(0.3)) metadata.budget = pick([1, 2, 3, 7, 50]);
      g.nodes.push({ id: nid, component, metadata });
      return nid;
    };
    const connect = (from: Stream['from'], node: string, port: string, index?: number) => {
      g.edges.push({ from, to: index === undefined ? { node, port } : { node, port, index }, capacity: pick([1, 2, 4]), metadata: {} });
    };
    const ns: number[] = [];
    const note = (keys: Key[]) => {
      for (const k of keys) {
        const kk = keyOf(k.s, k.p);
        const e = expected.get(kk);
        if (e) e.copies++;
        else expected.set(kk, { s: k.s, p: k.p, n: ns[k.s], copies: 1 });
        total += ns[k.s];
      }
    };
    const disjoint = (a: Key[], b: Key[]) => {
      const seen = new Set(a.map((k) => keyOf(k.s, k.p)));
      return b.every((k) => !seen.has(keyOf(k.s, k.p)));
    };

    // Sources: the IPs of a network are shared out so that no run prints more than maxLines.
    const budgetLines = Math.floor(maxLines / networks);
    const sources = int(1, 3);
    const open: Stream[] = [];
    for (let i = 0; i < sources; i++) {
      const s = nextS++;
      const n = int(20, Math.max(21, Math.floor(budgetLines / (sources * 3))));
      ns[s] = n;
      const src = addNode('S', 'stress/Source');
      g.iips.push({ data: s, fromText: false, to: { node: src, port: 's' }, metadata: {} });
      g.iips.push({ data: n, fromText: false, to: { node: src, port: 'n' }, metadata: {} });
      open.push({ from: { node: src, port: 'out' }, keys: [{ s, p: '' }], whole: true });
    }
    const take = (i: number) => open.splice(i, 1)[0];
    const pass = (st: Stream): Stream => {
      const nid = addNode('P', chance(0.5) ? 'stress/PassNL' : 'stress/PassLooper');
      connect(st.from, nid, 'in');
      return { ...st, from: { node: nid, port: 'out' } };
    };
    const lines = () => open.reduce((a, st) => a + st.keys.reduce((b, k) => b + ns[k.s], 0), 0);

    const steps = int(2, 7);
    for (let step = 0; step < steps; step++) {
      const op = r();
      const i = Math.floor(r() * open.length);
      if (op < 0.3) {
        // A chain of pass-throughs, both styles.
        let st = take(i);
        for (let k = int(1, 3); k > 0; k--) st = pass(st);
        open.push(st);
      } else if (op < 0.45 && lines() * 2 <= budgetLines) {
        // SplitTag: two branches, p + '0' and p + '1'.
        const st = take(i);
        const nid = addNode('T', 'stress/SplitTag');
        connect(st.from, nid, 'in');
        for (const b of ['0', '1']) {
          open.push({ from: { node: nid, port: 'out', index: Number(b) }, keys: st.keys.map((k) => ({ s: k.s, p: k.p + b })), whole: false });
        }
      } else if (op < 0.55 && lines() * 2 <= budgetLines) {
        // core/Split: copies (the same keys) on 2 or 3 branches; they never merge again.
        const st = take(i);
        const nid = addNode('C', 'core/Split');
        connect(st.from, nid, 'in');
        for (let b = int(2, 3) - 1; b >= 0; b--) open.push({ from: { node: nid, port: 'out', index: b }, keys: st.keys, whole: false });
      } else if (op < 0.75 && open.length >= 2) {
        // Fan-in: streams with disjoint keys into one in-port of a pass-through.
        const first = take(i);
        const group = [first];
        for (let j = open.length - 1; j >= 0 && group.length < 3; j--) {
          if (group.every((gst) => disjoint(gst.keys, open[j].keys)) && chance(0.7)) group.push(take(j));
        }
        if (group.length === 1) {
          open.push(first);
          continue;
        }
        const nid = addNode('F', chance(0.5) ? 'stress/PassNL' : 'stress/PassLooper');
        for (const st of group) connect(st.from, nid, 'in');
        open.push({ from: { node: nid, port: 'out' }, keys: group.flatMap((st) => st.keys), whole: group.every((st) => st.whole) });
      } else if (op < 0.88) {
        // core/Concat over whole streams (see the header): in[0], then in[1], ...
        const whole = open.filter((st) => st.whole);
        if (whole.length < 2) continue;
        const group = whole.slice(0, int(2, Math.min(3, whole.length)));
        for (const st of group) open.splice(open.indexOf(st), 1);
        const nid = addNode('K', 'core/Concat');
        group.forEach((st, k) => connect(st.from, nid, 'in', k));
        open.push({ from: { node: nid, port: 'out' }, keys: group.flatMap((st) => st.keys), whole: true });
      } else {
        // core/Output that prints and passes every IP on.
        const st = take(i);
        const nid = addNode('O', 'core/Output');
        connect(st.from, nid, 'in');
        note(st.keys);
        open.push({ ...st, from: { node: nid, port: 'out' } });
      }
    }
    // Every open stream ends in an Output; some Outputs take several (disjoint) streams.
    while (open.length > 0) {
      const first = take(0);
      const group = [first];
      for (let j = open.length - 1; j >= 0; j--) {
        if (group.every((gst) => disjoint(gst.keys, open[j].keys)) && chance(0.4)) group.push(take(j));
      }
      const nid = addNode('O', 'core/Output');
      for (const st of group) {
        connect(st.from, nid, 'in');
        note(st.keys);
      }
    }

  }
  return { seed, workers, graph: g, expected, networks, lines: total };
}

/**
 * Check the printed lines against the expected keys: every (s, p) gets each q in 0..N-1
 * exactly `copies` times, each copy in order (copies interleave: the k-th q can come only
 * after the k-th q-1). Returns the problems found (at most `limit`), empty when all is well.
 */
export function checkConservation(lines: string[], expected: RandomRun['expected'], limit = 10): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number[]>();
  for (const [k, e] of expected) seen.set(k, new Array(e.n).fill(0));
  for (let i = 0; i < lines.length && problems.length < limit; i++) {
    let v: { s?: unknown; q?: unknown; p?: unknown };
    try {
      v = JSON.parse(lines[i]);
    } catch {
      problems.push(`line ${i + 1} is not JSON: ${lines[i].slice(0, 80)}`);
      continue;
    }
    if (typeof v !== 'object' || v === null || typeof v.s !== 'number' || typeof v.q !== 'number' || typeof v.p !== 'string') {
      problems.push(`line ${i + 1} is not an {s, q, p} record: ${lines[i].slice(0, 80)}`);
      continue;
    }
    const k = keyOf(v.s, v.p);
    const e = expected.get(k);
    const counts = seen.get(k);
    if (!e || !counts) {
      problems.push(`line ${i + 1}: unexpected path s=${v.s} p='${v.p}'`);
      continue;
    }
    const q = v.q;
    if (!Number.isInteger(q) || q < 0 || q >= e.n) {
      problems.push(`line ${i + 1}: s=${v.s} p='${v.p}' q=${q} is out of 0..${e.n - 1}`);
      continue;
    }
    if (counts[q] >= e.copies) {
      problems.push(`line ${i + 1}: s=${v.s} p='${v.p}' q=${q} arrived ${counts[q] + 1} times (expected ${e.copies})`);
    } else if (q > 0 && counts[q - 1] <= counts[q]) {
      problems.push(`line ${i + 1}: s=${v.s} p='${v.p}' q=${q} arrived before q=${q - 1} (out of order)`);
    }
    counts[q]++;
  }
  for (const [k, e] of expected) {
    if (problems.length >= limit) break;
    const counts = seen.get(k)!;
    const missing = counts.findIndex((c) => c < e.copies);
    if (missing >= 0) {
      const got = counts.reduce((a, c) => a + Math.min(c, e.copies), 0);
      problems.push(`s=${e.s} p='${e.p}': ${got} of ${e.n * e.copies} IPs arrived (first missing q=${missing})`);
    }
  }
  return problems;
}
