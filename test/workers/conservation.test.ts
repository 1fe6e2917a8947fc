/**
 * Conservation across workers: seeded random networks (random-net.ts) of Source, PassNL,
 * PassLooper, SplitTag, core/Split, core/Concat and core/Output, with random per-edge
 * capacities (1, 2, 4), worker counts (2..4), pins and budgets. Every (s, p) path must print
 * each q = 0..N-1 exactly once per copy, in order; the run must finish with every box done.
 *
 * Starting workers dominates the cost (about 150 ms each here), so each run holds several
 * independent networks (3 to 5): 14 runs, 56 networks, some 20,000 IPs printed in all.
 *
 * Replay or explore:
 *   WEFT_SEED=17 npx vitest run test/workers/conservation.test.ts      one seed
 *   WEFT_EXPLORE_MS=60000 npx vitest run test/workers/conservation.test.ts
 *     also runs fresh seeds (from the clock) for that long; a failure prints its seed.
 */
import { describe, expect, it } from 'vitest';
import { formatDeadlock, place, type RunResult } from '../../src/index.ts';
import { runCaptured } from './helpers.ts';
import { checkConservation, randomRun, type RandomRun } from './random-net.ts';

const FIXED_SEEDS = Array.from({ length: 14 }, (_, i) => i + 1);
const networksFor = (seed: number) => 3 + (seed % 3);
const MAX_LINES = 4000;

function describeOutcome(r: RunResult): string {
  if (r.status === 'failed') return `failed: box ${r.failure?.box} (${r.failure?.component}): ${r.failure?.message}`;
  if (r.status === 'deadlock') return r.deadlock ? formatDeadlock(r.deadlock) : `stalled: ${JSON.stringify(r.stalled)}`;
  return r.status;
}

/** Run one random run and return what went wrong (empty when nothing did). */
async function check(run: RandomRun): Promise<string[]> {
  const { result, lines } = await runCaptured(run.graph, { workers: run.workers });
  const problems: string[] = [];
  if (result.status !== 'finished' || result.exitCode !== 0) problems.push(`status ${describeOutcome(result)} (exit ${result.exitCode})`);
  problems.push(...checkConservation(lines, run.expected));
  const notDone = result.stats.boxes.filter((b) => b.state !== 'done').map((b) => `${b.box}:${b.state}`);
  if (notDone.length > 0) problems.push(`boxes not done: ${notDone.join(', ')}`);
  if (result.stats.boxes.length !== run.graph.nodes.length) {
    problems.push(`stats list ${result.stats.boxes.length} boxes for ${run.graph.nodes.length} nodes`);
  }
  return problems;
}

function report(run: RandomRun, problems: string[]): string {
  return [
    `seed ${run.seed} (${run.networks} networks, ${run.graph.nodes.length} nodes, ${run.workers} workers, ${run.lines} IPs expected):`,
    ...problems.map((p) => `  ${p}`),
    `  replay: WEFT_SEED=${run.seed} npx vitest run test/workers/conservation.test.ts`,
  ].join('\n');
}

const only = process.env.WEFT_SEED === undefined ? null : Number(process.env.WEFT_SEED);
const seeds = only === null ? FIXED_SEEDS : [only];

describe('conservation across workers (random networks)', () => {
  it('the fixed set is 40..80 networks of a few hundred to a few thousand IPs each run', () => {
    const runs = FIXED_SEEDS.map((s) => randomRun(s, networksFor(s), MAX_LINES));
    const networks = runs.reduce((a, r) => a + r.networks, 0);
    expect(networks).toBeGreaterThanOrEqual(40);
    expect(networks).toBeLessThanOrEqual(80);
    for (const r of runs) {
      expect(r.lines).toBeGreaterThan(200);
      expect(r.lines).toBeLessThan(10000);
    }
    // Every feature appears somewhere in the set.
    const components = new Set(runs.flatMap((r) => r.graph.nodes.map((n) => n.component)));
    expect([...components].sort()).toEqual(
      ['core/Concat', 'core/Output', 'core/Split', 'stress/PassLooper', 'stress/PassNL', 'stress/Source', 'stress/SplitTag'].sort(),
    );
    expect(new Set(runs.map((r) => r.workers))).toEqual(new Set([2, 3, 4]));
    const caps = new Set(runs.flatMap((r) => r.graph.edges.map((e) => e.capacity)));
    expect(caps).toEqual(new Set([1, 2, 4]));
    expect(runs.some((r) => r.graph.nodes.some((n) => n.metadata.worker !== undefined))).toBe(true);
    expect(runs.some((r) => r.graph.nodes.some((n) => n.metadata.budget === 1))).toBe(true);
    // Fan-in: some in-port element with several edges.
    const fanIn = runs.some((r) => {
      const seen = new Set<string>();
      return r.graph.edges.some((e) => {
        const k = `${e.to.node}.${e.to.port}[${e.to.index ?? -1}]`;
        if (seen.has(k)) return true;
        seen.add(k);
        return false;
      });
    });
    expect(fanIn).toBe(true);
    // Where the boxes land (the runtime's own placement): the rings the set exercises.
    let crossCap1 = 0, mixedFanIn = 0, crossLooper = 0, crossNonLooper = 0, crossSplitTag = 0;
    for (const r of runs) {
      const where = place(r.graph, r.workers).worker;
      const comp = new Map(r.graph.nodes.map((n) => [n.id, n.component]));
      const senders = new Map<string, Set<number>>();
      for (const e of r.graph.edges) {
        const cross = where.get(e.from.node) !== where.get(e.to.node);
        if (cross && e.capacity === 1) crossCap1++;
        if (cross && comp.get(e.to.node) === 'stress/PassLooper') crossLooper++;
        if (cross && comp.get(e.to.node) === 'stress/PassNL') crossNonLooper++;
        if (cross && comp.get(e.from.node) === 'stress/SplitTag') crossSplitTag++;
        const k = `${e.to.node}.${e.to.port}[${e.to.index ?? -1}]`;
        const set = senders.get(k) ?? new Set<number>();
        set.add(where.get(e.from.node)! === where.get(e.to.node)! ? -1 : where.get(e.from.node)!);
        senders.set(k, set);
      }
      for (const set of senders.values()) if (set.size >= 2) mixedFanIn++;
    }
    expect(crossCap1, 'cross-worker edges of capacity 1').toBeGreaterThan(20);
    expect(crossLooper, 'rings into loopers').toBeGreaterThan(10);
    expect(crossNonLooper, 'rings into non-loopers').toBeGreaterThan(10);
    expect(crossSplitTag, 'rings out of SplitTag').toBeGreaterThan(3);
    expect(mixedFanIn, 'in-ports fed from two places (local + ring, or two rings)').toBeGreaterThan(5);
  });

  for (const seed of seeds) {
    const run = randomRun(seed, networksFor(seed), MAX_LINES);
    it(`seed ${seed}: ${run.networks} networks, ${run.graph.nodes.length} nodes on ${run.workers} workers, ${run.lines} IPs`, async () => {
      const problems = await check(run);
      if (problems.length > 0) expect.fail(report(run, problems));
    });
  }

  const exploreMs = Number(process.env.WEFT_EXPLORE_MS ?? 0);
  it.runIf(exploreMs > 0)(
    'fresh seeds for WEFT_EXPLORE_MS',
    async () => {
      const until = performance.now() + exploreMs;
      let seed = Date.now() % 1_000_000_000;
      const failures: string[] = [];
      let runs = 0;
      while (performance.now() < until && failures.length < 3) {
        const run = randomRun(seed, networksFor(seed), MAX_LINES);
        const problems = await check(run);
        if (problems.length > 0) failures.push(report(run, problems));
        runs++;
        seed++;
      }
      if (failures.length > 0) expect.fail(`${failures.length} of ${runs} runs failed:\n${failures.join('\n')}`);
    },
    exploreMs + 60_000,
  );
});
