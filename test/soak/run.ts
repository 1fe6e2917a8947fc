/**
 * `npm run soak`: a time-bounded search for lost, duplicated or reordered IPs, and a check
 * that a long run keeps its memory flat.
 *
 *   SOAK_MS=600000 npm run soak       (default 120,000 ms; the two parts share it)
 *   SOAK_SEED=123 npm run soak        (the first seed of the search; random by default)
 *   SOAK_ONLY=resources npm run soak  (one part for the whole time: conservation or resources)
 *
 * Part 1, conservation: the random runs of the conservation suite (test/workers/random-net.ts:
 * Source and bracketed BSource, PassNL, PassLooper, PassAsync with seeded awaits, the PassSub
 * and SplitSub subnets, SplitTag, Split, LoadBalance, fan-in, Concat, Output, Print;
 * capacities 1-4; 1-4 workers; pins, budgets; a few deadlock-prone networks), seed after
 * seed, each judged by test/workers/conservation-harness.ts: finished (or, where a prone
 * network may deadlock, a deadlock report naming only such networks), every token as expected
 * and in order, brackets nested as sent, every box done, no hang. A failure prints its seed;
 * `WEFT_SEED=n npx vitest run test/workers/conservation.test.ts` replays it (and it then
 * belongs in the fixed seeds).
 *
 * Part 2, resources: a chain of pass-through boxes over 2 workers moving IPs without end, and a
 * stream of 64 KiB arena payloads, each stopped after its share of the time. The RSS of the
 * process (every thread) is sampled every 250 ms; the slope over the second half of each run
 * (MiB per minute, least squares) is reported. The arena's bytes in use must be back to 0
 * after the stop, and its peak bounded by what the capacities allow.
 *
 * Exit code 1 when a network lost, duplicated or reordered anything, failed, hung (a run with
 * no result after 60 s) or left arena blocks live; the slopes are reported, not judged.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDeadlock, type RunResult } from '../../src/index.ts';
import { createCaptured, G, within } from '../workers/helpers.ts';
import { checkRun, makeRun, report } from '../workers/conservation-harness.ts';

const SOAK_MS = Number(process.env.SOAK_MS ?? 120_000);
const firstSeed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 1e9));
const BENCH = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../bench/components');
const problems: string[] = [];
/** A network never ended: its worker threads would keep the process alive, so exit at the end. */
let hung = false;

function outcome(r: RunResult): string {
  if (r.deadlock) return formatDeadlock(r.deadlock);
  return `${r.status}${r.failure ? `: ${r.failure.box}: ${r.failure.message}` : ''}`;
}

async function conservation(ms: number): Promise<void> {
  const until = performance.now() + ms;
  let seed = firstSeed;
  let runs = 0;
  let networks = 0;
  let ips = 0;
  let deadlocks = 0;
  while (performance.now() < until && problems.length < 5) {
    const run = makeRun(seed);
    const { problems: bad, result } = await checkRun(run, 60_000);
    if (bad.length > 0) {
      problems.push(report(run, bad.slice(0, 5)));
      process.stderr.write(`soak: FAILED ${problems[problems.length - 1]}\n`);
    }
    if (result === null) hung = true;
    if (result?.status === 'deadlock' && bad.length === 0) deadlocks++;
    runs++;
    networks += run.networks;
    ips += run.lines;
    seed++;
  }
  console.log(`conservation: ${runs} runs (${networks} networks, ${ips.toLocaleString('en')} tokens printed, ${deadlocks} runs ended in an expected deadlock), seeds ${firstSeed}..${seed - 1}, ${problems.length} failed`);
}

/** Least-squares slope of (t ms, bytes) samples, in MiB per minute. */
function slope(samples: [number, number][]): number {
  const n = samples.length;
  if (n < 2) return 0;
  let st = 0, sb = 0, stt = 0, stb = 0;
  for (const [t, b] of samples) {
    st += t;
    sb += b;
    stt += t * t;
    stb += t * b;
  }
  const k = (n * stb - st * sb) / (n * stt - st * st);
  return (k * 60_000) / 2 ** 20;
}

async function steady(what: string, g: G, ms: number): Promise<RunResult> {
  const { net } = await createCaptured(g.graph, { workers: 2, components: [BENCH, path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/components')], capacity: 16 });
  const samples: [number, number][] = [];
  const t0 = performance.now();
  const timer = setInterval(() => samples.push([performance.now() - t0, process.memoryUsage().rss]), 250);
  const stop = setTimeout(() => net.stop('soak time up'), ms);
  const r = await within(net.run(), ms + 60_000, what);
  clearInterval(timer);
  clearTimeout(stop);
  const late = samples.filter(([t]) => t >= ms / 2);
  const rss = samples.length > 0 ? samples[samples.length - 1][1] / 2 ** 20 : 0;
  console.log(`${what}: ${(ms / 1000).toFixed(0)} s, ${r.stats.totals.sent.toLocaleString('en')} sends, RSS ${rss.toFixed(0)} MiB at the end, slope over the second half ${slope(late).toFixed(2)} MiB/min (${late.length} samples)`);
  if (r.status !== 'interrupted') problems.push(`${what}: ended ${outcome(r)} instead of being stopped`);
  return r;
}

async function resources(ms: number): Promise<void> {
  const chain = new G().node('src', 'stress/Source', { worker: 0 });
  let prev = 'src';
  for (let i = 0; i < 6; i++) {
    chain.node(`p${i}`, i % 2 === 0 ? 'stress/PassNL' : 'stress/PassLooper', { worker: i < 3 ? 0 : 1 });
    chain.edge(`${prev}.out`, `p${i}.in`);
    prev = `p${i}`;
  }
  chain.node('drop', 'core/Drop', { worker: 1 }).edge(`${prev}.out`, 'drop.in').iip('src.s', 1).iip('src.n', 2_000_000_000);
  await steady('chain of 6 over 2 workers', chain, ms / 2);

  const arena = new G()
    .node('src', 'bench/ArenaSource', { worker: 0 })
    .node('sink', 'bench/ArenaSink', { worker: 1 })
    .edge('src.out', 'sink.in', 4)
    .iip('src.count', 2_000_000_000)
    .iip('src.size', 8192);
  const r = await steady('64 KiB arena payloads, worker 0 -> 1', arena, ms / 2);
  const a = r.stats.arena;
  if (!a) problems.push('arena run: no arena statistics');
  else {
    console.log(`  arena: ${a.allocations.toLocaleString('en')} allocations, ${a.frees.toLocaleString('en')} frees, peak ${(a.peak / 2 ** 20).toFixed(2)} MiB, in use after the stop ${a.inUse} B in ${a.liveBlocks} blocks`);
    if (a.inUse !== 0 || a.liveBlocks !== 0) problems.push(`arena run: ${a.liveBlocks} blocks (${a.inUse} B) still live after the stop`);
    // In flight at most: capacity 4 in the ring, one being filled, one being read, one in each outbox.
    if (a.peak > 8 * 65536) problems.push(`arena run: peak ${a.peak} B is more than the capacities allow`);
  }
}

const only = process.env.SOAK_ONLY; // 'conservation' or 'resources': that part, all the time
console.log(`soak: ${SOAK_MS} ms, first seed ${firstSeed}${only ? `, ${only} only` : ''}`);
if (only !== 'resources') await conservation(only ? SOAK_MS : SOAK_MS / 2);
if (only !== 'conservation') await resources(only ? SOAK_MS : SOAK_MS / 2);
if (problems.length > 0) {
  console.log(`soak: ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exitCode = 1;
} else console.log('soak: no problem');
if (hung) process.stdout.write('', () => process.exit(process.exitCode));
