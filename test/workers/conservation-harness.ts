/**
 * Running and judging one random run (random-net.ts) for the conservation suites
 * (conservation.test.ts, conservation-b.test.ts) and `npm run soak`.
 *
 * Accepted outcomes: `finished` (exit 0) with every token printed as random-check.ts expects
 * and every box done; or, when the run holds a deadlock-prone network that may deadlock,
 * `deadlock` (exit 3) with a deadlock report whose blocked boxes and cycle all belong to such
 * networks, every other network complete (a deadlock is only declared once nothing else can
 * move, so they all ran to their end) and the prone ones' output a clean prefix. A run with a
 * network that must deadlock must not finish. A run with no result within the bound is a hang.
 */
import { formatDeadlock, type RunResult } from '../../src/index.ts';
import { runCaptured, within } from './helpers.ts';
import { checkLines } from './random-check.ts';
import { randomRun, type RandomRun } from './random-net.ts';

/** The fixed seed set CI runs, shared out over the two test files (run in parallel by vitest). */
export const FIXED_SEEDS = Array.from({ length: 64 }, (_, i) => i + 1);
/** Networks per run (starting workers costs ~150 ms each: runs hold many). */
export const networksFor = (seed: number) => 13 + (seed % 9);
export const MAX_LINES = 4000;
/** A run with no result after this long is reported as a hang. */
export const RUN_TIMEOUT_MS = 30_000;

export const makeRun = (seed: number): RandomRun => randomRun(seed, networksFor(seed), MAX_LINES);

/**
 * The half of FIXED_SEEDS that test file `half` (0 or 1) runs: shared out by the cost of
 * starting the workers (a run on 4 workers costs some 7 times one on the main thread), so
 * that the two files, run in parallel, take about as long.
 */
export function fixedHalf(half: 0 | 1): number[] {
  const cost = (seed: number) => [0, 0.3, 0.8, 1.4, 2.2][makeRun(seed).workers];
  const sorted = [...FIXED_SEEDS].sort((a, b) => cost(b) - cost(a) || a - b);
  const halves: [number[], number[]] = [[], []];
  const load = [0, 0];
  for (const seed of sorted) {
    const h = load[0] <= load[1] ? 0 : 1;
    halves[h].push(seed);
    load[h] += cost(seed);
  }
  return halves[half].sort((a, b) => a - b);
}

export function describeOutcome(r: RunResult): string {
  if (r.status === 'failed') return `failed: box ${r.failure?.box} (${r.failure?.component}): ${r.failure?.message}`;
  if (r.status === 'deadlock') return r.deadlock ? formatDeadlock(r.deadlock) : `stalled: ${JSON.stringify(r.stalled)}`;
  return r.status;
}

export interface Checked {
  problems: string[];
  result: RunResult | null;
  ms: number;
}

/** Run one random run and return what went wrong (empty when nothing did). */
export async function checkRun(run: RandomRun, timeoutMs = RUN_TIMEOUT_MS): Promise<Checked> {
  const t0 = performance.now();
  let captured;
  try {
    captured = await within(runCaptured(run.graph, { workers: run.workers }), timeoutMs, `seed ${run.seed}`);
  } catch (e) {
    return { problems: [(e as Error).message], result: null, ms: performance.now() - t0 };
  }
  const { result, lines } = captured;
  const problems: string[] = [];
  const mayDeadlock = run.prone.filter((p) => p.outcome !== 'finish');
  const mustDeadlock = run.prone.filter((p) => p.outcome === 'deadlock');
  const inProne = (box: string) => mayDeadlock.some((p) => box.startsWith(p.prefix));
  let exempt = new Set<number>();
  if (result.status === 'finished') {
    if (result.exitCode !== 0) problems.push(`finished with exit code ${result.exitCode}`);
    for (const p of mustDeadlock) problems.push(`finished, but network ${p.prefix} must deadlock (${p.tokens} tokens per branch; branch 1 holds ${p.room[0]}..${p.room[1]})`);
  } else if (result.status === 'deadlock' && mayDeadlock.length > 0) {
    exempt = new Set(mayDeadlock.map((p) => p.net));
    const d = result.deadlock;
    if (result.exitCode !== 3) problems.push(`deadlock with exit code ${result.exitCode}`);
    if (!d) problems.push(`status deadlock without a deadlock report: ${describeOutcome(result)}`);
    else {
      if (d.blocked.length === 0 || d.cycle.length < 2) problems.push(`a deadlock report without blocked boxes or a cycle:\n${formatDeadlock(d)}`);
      const strangers = [...d.blocked.map((w) => w.box), ...d.cycle].filter((b) => !inProne(b));
      if (strangers.length > 0) problems.push(`deadlock report names boxes outside the deadlock-prone networks: ${[...new Set(strangers)].join(', ')}\n${formatDeadlock(d)}`);
    }
  } else {
    problems.push(`status ${describeOutcome(result)} (exit ${result.exitCode})`);
  }
  problems.push(...checkLines(lines, run.expected, exempt));
  const notDone = result.stats.boxes.filter((b) => b.state !== 'done' && !(result.status === 'deadlock' && inProne(b.box)));
  if (notDone.length > 0) problems.push(`boxes not done: ${notDone.map((b) => `${b.box}:${b.state}`).join(', ')}`);
  if (result.stats.boxes.length !== run.boxes) problems.push(`stats list ${result.stats.boxes.length} boxes, expected ${run.boxes}`);
  return { problems, result, ms: performance.now() - t0 };
}

export function report(run: RandomRun, problems: string[]): string {
  const prone = run.prone.map((p) => `${p.prefix} ${p.outcome} (${p.tokens} tokens, room ${p.room[0]}..${p.room[1]})`).join(', ');
  return [
    `seed ${run.seed} (${run.networks} networks, ${run.graph.nodes.length} nodes, ${run.boxes} boxes, ${run.workers} worker${run.workers === 1 ? '' : 's'}, ${run.lines} tokens expected${prone ? `; deadlock-prone: ${prone}` : ''}):`,
    ...problems.map((p) => `  ${p}`),
    `  replay: WEFT_SEED=${run.seed} npx vitest run test/workers/conservation.test.ts`,
  ].join('\n');
}
