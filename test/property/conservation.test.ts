/**
 * Conservation over random networks (one thread): seeded random DAGs of sources, pass-through
 * boxes of both styles, tagging splits and fan-in merges, with capacities 1–4, random budgets
 * and both ownership modes. Every IP is tagged with its source, its sequence number and the
 * path of split branches it took; at the sinks, every (source, path) must hold each sequence
 * number exactly once, in order. A failure prints the seed.
 */
import { describe, expect, it } from 'vitest';
import { defineComponent, type Component } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { makeNetwork, PassLooper, PassNL } from '../helpers/net.ts';
import { rng } from '../helpers/rng.ts';

interface Tag {
  s: number;
  q: number;
  p: string;
}

function source(s: number, n: number): Component {
  return defineComponent({
    inPorts: {},
    outPorts: { out: port.any() },
    async run(_i, { out }) {
      for (let q = 0; q < n; q++) {
        let r = out.emit({ s, q, p: '' } satisfies Tag);
        if (r instanceof Promise) r = await r;
      }
    },
  });
}

/** Sends a copy to out[0] and out[1], each with its branch appended to the path. */
const SplitTag = defineComponent({
  inPorts: { in: port.any() },
  outPorts: { out: port.any().array() },
  async run({ in: input }, { out }, ctx) {
    for (let ip = await input.receive(); ip !== null; ip = await input.receive()) {
      if (ip.kind !== 'data') throw new Error('brackets are not generated here');
      const t = ip.data as Tag;
      await out[0].emit({ ...t, p: t.p + '0' });
      await out[1].emit({ ...t, p: t.p + '1' });
      ctx.drop(ip);
    }
  },
});

function sink(into: Tag[]): Component {
  return defineComponent({
    inPorts: { in: port.any() },
    outPorts: {},
    process: {
      in(ip) {
        if (ip.kind === 'data') into.push(ip.data as Tag);
      },
    },
  });
}

async function runRandom(seed: number) {
  const r = rng(seed);
  const nodes: Record<string, Component> = {};
  const edges: string[] = [];
  const cap = () => 1 + Math.floor(r() * 4);
  const edge = (from: string, to: string) => edges.push(`${from} -(${cap()})-> ${to}`);
  let id = 0;
  const sources = 1 + Math.floor(r() * 3);
  const counts: number[] = [];
  let streams: string[] = []; // out-port refs not yet connected
  for (let s = 0; s < sources; s++) {
    const n = 1 + Math.floor(r() * 60);
    counts.push(n);
    nodes[`s${s}`] = source(s, n);
    streams.push(`s${s}.out`);
  }
  const steps = 1 + Math.floor(r() * 12);
  for (let k = 0; k < steps; k++) {
    const pick = () => streams.splice(Math.floor(r() * streams.length), 1)[0];
    const op = r();
    if (op < 0.5 || streams.length < 2) {
      const x = pick();
      const name = `n${id++}`;
      nodes[name] = r() < 0.5 ? PassNL : PassLooper;
      edge(x, `${name}.in`);
      streams.push(`${name}.out`);
    } else if (op < 0.75) {
      const x = pick();
      const name = `split${id++}`;
      nodes[name] = SplitTag;
      edge(x, `${name}.in`);
      streams.push(`${name}.out[0]`, `${name}.out[1]`);
    } else {
      const x = pick();
      const y = pick();
      const name = `merge${id++}`;
      nodes[name] = r() < 0.5 ? PassNL : PassLooper;
      edge(x, `${name}.in`);
      edge(y, `${name}.in`);
      streams.push(`${name}.out`);
    }
  }
  const got: Tag[] = [];
  for (const x of streams) {
    const name = `sink${id++}`;
    nodes[name] = sink(got);
    edge(x, `${name}.in`);
  }
  streams = [];
  const checked = r() < 0.5;
  const budget = r() < 0.5 ? 1 + Math.floor(r() * 5) : undefined;
  const result = await makeNetwork({ nodes, edges }, { checked, budget }).run();
  return { result, got, counts, edges };
}

function checkConservation(got: Tag[], counts: number[]): string | null {
  const groups = new Map<string, number[]>();
  for (const t of got) {
    const k = `${t.s}/${t.p}`;
    const g = groups.get(k);
    if (g) g.push(t.q);
    else groups.set(k, [t.q]);
  }
  for (const [k, qs] of groups) {
    const s = Number(k.split('/')[0]);
    if (qs.length !== counts[s]) return `${k}: ${qs.length} IPs, expected ${counts[s]}`;
    for (let i = 0; i < qs.length; i++) if (qs[i] !== i) return `${k}: position ${i} holds ${qs[i]}`;
  }
  // Every source reached at least one sink on every path: the number of paths is fixed by
  // the splits, so the total must be a sum of whole streams (checked above) and nonzero.
  for (let s = 0; s < counts.length; s++) if (![...groups.keys()].some((k) => k.startsWith(`${s}/`))) return `source ${s} reached no sink`;
  return null;
}

describe('conservation over random networks', () => {
  const SEEDS = 2000;
  it(`${SEEDS} seeded networks: every IP exactly once, in order per path`, async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { result, got, counts, edges } = await runRandom(seed);
      const problem = result.status !== 'finished' ? `status ${result.status}` : checkConservation(got, counts);
      if (problem) expect.fail(`seed ${seed}: ${problem}\nedges: ${edges.join(', ')}`);
    }
  });
});
