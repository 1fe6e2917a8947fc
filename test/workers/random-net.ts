/**
 * Seeded random networks for the conservation suites, built as Graph data. A *run* is one
 * graph holding several independent networks (connected parts), on a random worker count
 * 1..4 (1: everything on the main thread), with random pins (`worker` metadata), budgets and
 * edge capacities 1..4 (now and then 8, 10 or 16, where ring senders publish in batches).
 * What a run must print is in `expected` (random-check.ts explains the tokens, keys and
 * families, and checks the output).
 *
 * The parts of a network: sources (stress/Source; stress/BSource, whose stream holds nested
 * bracket groups); pass-throughs (stress/PassNL, stress/PassLooper, stress/PassAsync which
 * awaits seeded microtasks, setImmediate and 0-1 ms timers, and stress/PassSub, a subnet);
 * stress/SplitTag and stress/SplitSub (a subnet of a subnet exporting SplitTag's array port);
 * core/Split (copies); core/LoadBalance, each branch tagged by stress/Tag; fan-in; core/Concat;
 * core/Output passing IPs on; and sinks: core/Output or stress/Print (which prints brackets).
 *
 * A *stream* is an out-port element not connected yet, with the keys (s, p, share) it carries.
 * No deadlock by construction, except in deadlock-prone networks (below):
 * - streams merge (fan-in into one in-port) only when their keys are disjoint;
 * - core/Concat, which reads its inputs one after another, only takes *whole* streams: streams
 *   that carry everything their sources send (nothing split, copied or balanced upstream), so
 *   nothing upstream of a Concat input can be held up by a sibling waiting on the Concat.
 *
 * Deadlock-prone networks (`prone`: 1 or 2 in 40% of the runs): Source → SplitTag or core/Split → two branches
 * of 0..2 pass-throughs → core/Concat. Concat reads branch 0 to its end, which comes only after
 * the splitter sent every token to branch 1 too, so the network finishes when branch 1 can hold
 * the whole stream (T tokens ≤ the sum of its capacities) and deadlocks when T is well past what
 * it can hold (connections overfilled by one, one IP per box); in between either is right.
 */
import type { Graph } from '../../src/index.ts';
import { emptyGraph } from '../../src/index.ts';
import { tokensOf } from '../fixtures/components/stress/BSource.ts';
import { rng } from '../helpers/rng.ts';
import { addSource, emptyExpected, printsPerToken, type Expected, type Hole } from './random-check.ts';

export interface Key {
  s: number;
  p: string;
  /** What happens to the key downstream, filled in when that is decided. */
  h: Hole;
}

interface From {
  node: string;
  port: string;
  index?: number;
}

interface Stream {
  from: From;
  keys: Key[];
  whole: boolean;
}

export type ProneOutcome = 'finish' | 'deadlock' | 'either';

export interface Prone {
  net: number;
  /** Every box of the network has an id starting with this. */
  prefix: string;
  outcome: ProneOutcome;
  /** Tokens the splitter sends on each branch, and what branch 1 holds at least and at most. */
  tokens: number;
  room: [number, number];
}

export interface RandomRun {
  seed: number;
  workers: number;
  graph: Graph;
  expected: Expected;
  /** The networks (connected parts) in this run. */
  networks: number;
  /** Boxes once subnets are inlined (what the run's stats list). */
  boxes: number;
  /** Tokens (IPs) the sinks should receive in all. */
  lines: number;
  prone: Prone[];
}

/** A pass-through: its boxes once inlined, and the capacities of its inner connections. */
interface PassKind {
  component: string;
  boxes: number;
  inner: number[];
  weight: number;
}

const PASSES: PassKind[] = [
  { component: 'stress/PassNL', boxes: 1, inner: [], weight: 0.3 },
  { component: 'stress/PassLooper', boxes: 1, inner: [], weight: 0.3 },
  { component: 'stress/PassAsync', boxes: 1, inner: [], weight: 0.2 },
  { component: 'stress/PassSub', boxes: 2, inner: [1], weight: 0.2 },
];
const SUBNET_BOXES: Record<string, number> = { 'stress/PassSub': 2, 'stress/SplitSub': 3 };
const LETTERS = 'abc';
/** Chance that a run holds deadlock-prone networks (1 or 2 of them). */
const PRONE_RUN = 0.4;

/** A run of `networks` independent random networks printing about `maxLines` tokens. */
export function randomRun(seed: number, networks: number, maxLines = 3000): RandomRun {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;

  const workers = int(1, 4);
  const g = emptyGraph();
  const exp = emptyExpected();
  const prone: Prone[] = [];
  const T = new Map<number, number>(); // s → tokens of its stream
  let nextS = 1;
  let nextO = 0;
  let nextL = 0;
  let boxes = 0;
  const proneNets = new Set<number>();
  if (chance(PRONE_RUN)) for (let k = int(1, 2); k > 0; k--) proneNets.add(int(0, networks - 1));

  for (let net = 0; net < networks; net++) {
    const prefix = `n${net}_`;
    let seq = 0;
    const node = (kind: string, component: string): string => {
      const id = `${prefix}${kind}${seq++}`;
      const metadata: Record<string, unknown> = {};
      const sub = SUBNET_BOXES[component];
      if (sub === undefined) {
        // A subnet node's metadata does not reach its inner nodes: none given.
        if (workers > 1 && chance(0.35)) metadata.worker = int(0, workers - 1);
        if (chance(0.3)) metadata.budget = pick([1, 2, 3, 7, 50]);
      }
      g.nodes.push({ id, component, metadata });
      boxes += sub ?? 1;
      return id;
    };
    const iip = (nodeId: string, port: string, data: unknown) => g.iips.push({ data, fromText: false, to: { node: nodeId, port }, metadata: {} });
    const connect = (from: From, to: string, port: string, index?: number): number => {
      // Mostly tiny; now and then large enough for a ring's sender to publish in batches
      // (connection/shared-ring.ts sendBatchFor: 2 or more records from capacity 8).
      const capacity = chance(0.15) ? pick([8, 10, 16]) : int(1, 4);
      g.edges.push({ from, to: index === undefined ? { node: to, port } : { node: to, port, index }, capacity, metadata: {} });
      return capacity;
    };
    /** The IIPs of source `id` (stress/Source when shape is null, else stress/BSource). */
    const source = (id: string, n: number, shape: number | null): Key[] => {
      const s = nextS++;
      iip(id, 's', s);
      iip(id, 'n', n);
      if (shape !== null) iip(id, 'shape', shape);
      const info = addSource(exp, s, net, shape, n);
      T.set(s, info.tokens.length);
      return [{ s, p: '', h: info.root }];
    };
    const pickPass = (): PassKind => {
      let x = r();
      return PASSES.find((k) => (x -= k.weight) < 0) ?? PASSES[0];
    };
    const passNode = (kind: PassKind, letter: string): string => {
      const id = node(letter, kind.component);
      if (kind.component === 'stress/PassAsync') iip(id, 'seed', int(1, 1_000_000));
      return id;
    };
    /** A pass-through of a random kind; returns its out-port and the kind. */
    const passBox = (from: From): [From, PassKind, number] => {
      const kind = pickPass();
      const id = passNode(kind, 'P');
      const cap = connect(from, id, 'in');
      return [{ node: id, port: 'out' }, kind, cap];
    };
    const sink = (streams: Stream[]) => {
      let id: string;
      let group: string;
      if (chance(0.5)) {
        id = node('O', 'core/Output');
        group = 'O';
      } else {
        const o = nextO++;
        id = node('W', 'stress/Print');
        iip(id, 'o', o);
        group = `P${o}`;
      }
      for (const st of streams) {
        connect(st.from, id, 'in');
        for (const k of st.keys) k.h.tree = { t: 'print', group, p: k.p };
      }
    };

    if (proneNets.has(net)) {
      prone.push(proneNetwork());
      continue;
    }

    /** Source → SplitTag or core/Split → 2 branches → core/Concat → sink; see the header. */
    function proneNetwork(): Prone {
      const src = node('S', 'stress/Source'); // stress/BSource when its stream has brackets (below)
      let from: From = { node: src, port: 'out' };
      if (chance(0.5)) from = passBox(from)[0];
      const tag = chance(0.7);
      const split = tag ? node('T', chance(0.3) ? 'stress/SplitSub' : 'stress/SplitTag') : node('C', 'core/Split');
      connect(from, split, 'in');
      const concat = node('K', 'core/Concat');
      let caps: number[] = [], held = 0;
      for (const b of [0, 1]) {
        caps = [];
        held = 0;
        let at: From = { node: split, port: 'out', index: b };
        for (let j = int(0, 2); j > 0; j--) {
          const [out, kind, cap] = passBox(at);
          caps.push(cap, ...kind.inner);
          held += kind.boxes;
          at = out;
        }
        caps.push(connect(at, concat, 'in', b));
      }
      // Branch 1 (the last built) holds at least its capacities, at most one more per
      // connection, one per box, and one in the splitter.
      const lo = caps.reduce((a, c) => a + c, 0);
      const hi = lo + caps.length + held + 2;
      const regime = r();
      let n = regime < 0.35 ? int(1, lo) : regime < 0.7 ? int(2 * hi + 2, 2 * hi + 40) : int(lo + 1, 2 * hi + 1);
      let shape = chance(0.4) ? int(1, 1_000_000_000) : null;
      if (regime < 0.35 && shape !== null) {
        // Brackets lengthen the stream: keep it within what branch 1 surely holds.
        while (n > 1 && tokensOf(shape, n).length > lo) n--;
        if (tokensOf(shape, n).length > lo) shape = null;
      }
      if (shape !== null) g.nodes.find((x) => x.id === src)!.component = 'stress/BSource';
      const keys = source(src, n, shape);
      const tokens = T.get(keys[0].s)!;
      const outcome: ProneOutcome = tokens <= lo ? 'finish' : tokens >= 2 * hi + 2 ? 'deadlock' : 'either';
      const [k] = keys;
      const kids: Hole[] = [{}, {}];
      k.h.tree = { t: 'copy', kids };
      sink([{ from: { node: concat, port: 'out' }, keys: kids.map((h, b) => ({ s: k.s, p: tag ? `${b}` : '', h })), whole: false }]);
      return { net, prefix, outcome, tokens, room: [lo, hi] };
    }

    // Sources: the tokens of a network are shared out so that no run prints more than maxLines.
    const budget = Math.floor(maxLines / networks);
    const open: Stream[] = [];
    const sources = int(1, 3);
    for (let i = 0; i < sources; i++) {
      const shape = chance(0.4) ? int(1, 1_000_000_000) : null;
      const id = node('S', shape === null ? 'stress/Source' : 'stress/BSource');
      const n = int(8, Math.max(9, Math.floor(budget / (sources * 4))));
      open.push({ from: { node: id, port: 'out' }, keys: source(id, n, shape), whole: true });
    }
    const take = (i: number) => open.splice(i, 1)[0];
    const lines = () => open.reduce((a, st) => a + st.keys.reduce((b, k) => b + T.get(k.s)!, 0), 0);
    /** stress/Tag appending `marker` to the paths of `st`. */
    const tag = (st: Stream, marker: string): Stream => {
      const id = node('G', 'stress/Tag');
      iip(id, 'tag', marker);
      connect(st.from, id, 'in');
      return { ...st, from: { node: id, port: 'out' }, keys: st.keys.map((k) => ({ ...k, p: k.p + marker })) };
    };
    /** Each key of `st` goes to `n` branches (copies, or one of them for `choose`). */
    const branch = (st: Stream, t: 'copy' | 'choose', n: number, p: (k: Key, b: number) => string): Key[][] => {
      const out: Key[][] = Array.from({ length: n }, () => []);
      for (const k of st.keys) {
        const kids: Hole[] = Array.from({ length: n }, () => ({}));
        k.h.tree = { t, kids };
        kids.forEach((h, b) => out[b].push({ s: k.s, p: p(k, b), h }));
      }
      return out;
    };
    const disjoint = (a: Key[], b: Key[]) => {
      const seen = new Set(a.map((k) => `${k.s} ${k.p}`));
      return b.every((k) => !seen.has(`${k.s} ${k.p}`));
    };

    const steps = int(2, 8);
    for (let step = 0; step < steps; step++) {
      const op = r();
      const i = Math.floor(r() * open.length);
      if (op < 0.22) {
        // A chain of pass-throughs of every kind.
        const st = take(i);
        for (let k = int(1, 3); k > 0; k--) st.from = passBox(st.from)[0];
        open.push(st);
      } else if (op < 0.34 && lines() * 2 <= budget) {
        // SplitTag (or the SplitSub subnet): two branches, p + '0' and p + '1'.
        const st = take(i);
        const id = node('T', chance(0.3) ? 'stress/SplitSub' : 'stress/SplitTag');
        connect(st.from, id, 'in');
        branch(st, 'copy', 2, (k, b) => k.p + b).forEach((keys, b) => open.push({ from: { node: id, port: 'out', index: b }, keys, whole: false }));
      } else if (op < 0.43 && lines() * 2 <= budget) {
        // core/Split: copies (the same keys) on 2 or 3 branches; they never merge again.
        const st = take(i);
        const id = node('C', 'core/Split');
        connect(st.from, id, 'in');
        branch(st, 'copy', int(2, 3), (k) => k.p).forEach((keys, b) => {
          const copy: Stream = { from: { node: id, port: 'out', index: b }, keys, whole: false };
          open.push(chance(0.5) ? tag(copy, `~${nextL++}x`) : copy);
        });
      } else if (op < 0.53) {
        // core/LoadBalance over 2 or 3 branches, each tagged with its letter at once.
        const st = take(i);
        const lb = node('L', 'core/LoadBalance');
        connect(st.from, lb, 'in');
        const l = nextL++;
        branch(st, 'choose', int(2, 3), (k) => k.p).forEach((keys, b) => {
          open.push(tag({ from: { node: lb, port: 'out', index: b }, keys, whole: false }, `~${l}${LETTERS[b]}`));
        });
      } else if (op < 0.7 && open.length >= 2) {
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
        const id = passNode(pickPass(), 'F');
        for (const st of group) connect(st.from, id, 'in');
        open.push({ from: { node: id, port: 'out' }, keys: group.flatMap((st) => st.keys), whole: group.every((st) => st.whole) });
      } else if (op < 0.83) {
        // core/Concat over whole streams (see the header): in[0], then in[1], ...
        const whole = open.filter((st) => st.whole);
        if (whole.length < 2) continue;
        const group = whole.slice(0, int(2, Math.min(3, whole.length)));
        for (const st of group) open.splice(open.indexOf(st), 1);
        const id = node('K', 'core/Concat');
        group.forEach((st, k) => connect(st.from, id, 'in', k));
        open.push({ from: { node: id, port: 'out' }, keys: group.flatMap((st) => st.keys), whole: true });
      } else {
        // core/Output that prints the data IPs and passes every IP on.
        const st = take(i);
        const id = node('O', 'core/Output');
        connect(st.from, id, 'in');
        const keys = st.keys.map((k) => {
          const next: Hole = {};
          k.h.tree = { t: 'copy', kids: [{ tree: { t: 'print', group: 'O', p: k.p } }, next] };
          return { ...k, h: next };
        });
        // A Tag, most of the time, so that a later core/Output prints other keys than this one
        // (identical lines from two streams are told apart by order and counts only).
        const on: Stream = { ...st, keys, from: { node: id, port: 'out' } };
        open.push(chance(0.6) ? tag(on, `~${nextL++}x`) : on);
      }
    }
    // Every open stream ends in a sink; some sinks take several (disjoint) streams.
    while (open.length > 0) {
      const group = [take(0)];
      for (let j = open.length - 1; j >= 0; j--) {
        if (group.every((gst) => disjoint(gst.keys, open[j].keys)) && chance(0.4)) group.push(take(j));
      }
      sink(group);
    }
  }
  let lines = 0;
  for (const [s, info] of exp.sources) lines += T.get(s)! * printsPerToken(info.root);
  return { seed, workers, graph: g, expected: exp, networks, boxes, lines: Math.round(lines), prone };
}
