/**
 * bench/scaling.ts — How does a CPU-bound stage scale with workers when it is a parallel node?
 *
 * The graph: src → work → sink, where src is bench/F64Source (a looper emitting 0..N-1 through
 * an f64 port), work is bench/Spin (a stateless non-looper spending about SCALE_US µs of
 * arithmetic per IP, see components/_spin.ts) and sink is bench/F64Sink (counts and checksums;
 * the checksum does not depend on order, and replicas' output is unordered).
 *
 * Rows, the same N and the same work per IP:
 *   workers1       `workers: 1`: one Spin box on the main thread. THE BASELINE.
 *   workersW       `workers: W`, work has metadata `parallel: 'auto'` (W replicas, one pinned
 *                  per worker, taking IPs from one shared queue), for W = 2, 4, 8, … up to
 *                  availableParallelism() (and that count itself).
 *   workersW.pin   the same with `pin: true` (--pin: worker K on core K): what pinning changes.
 * Before the rows, the main thread calibrates Spin's loop: iterations for SCALE_US µs.
 *
 * Rate: measured inside the sink from IP N/10 to IP N (steady state: worker start-up and the
 * first tenth excluded), as the other worker benchmarks (_workers.ts). Each row: a discarded
 * warm-up run (N/10), then the median of BENCH_RUNS runs; each run checks count and checksum.
 *
 * Targets (issue "Every core"): workers2 ≥ 1.8× workers1 here (2 cores); on a 16-core machine
 * workers16 ≥ 12×.
 *
 * Parameters (environment): SCALE_US (20), SCALE_N (default: 2 s of work on one thread),
 * SCALE_MAX_W (availableParallelism()), SCALE_COUNTS (worker counts besides 1, e.g. `8,16`; default: 2, 4, 8, …
 * up to SCALE_MAX_W), BENCH_RUNS (5), WORKERS_MAX_RUN_S (4 × the expected
 * one-thread time; 0: none), SCALE_DETAIL (1: log each run's worker busy shares and the IPs each
 * replica took). Flags: --json.
 * Run: node --import tsx bench/scaling.ts
 */
import { availableParallelism } from 'node:os';
import { emptyGraph, type Graph } from '../src/graph/graph.ts';
import { run } from '../src/index.ts';
import { spin } from './components/_spin.ts';
import { clock, COMPONENTS, sampleOf, Capture, type ConsumerReport, type Sample } from './_workers.ts';
import { envInt, fmtNum, fmtRatio, log, machine, machineLine, median, output, RUNS, stats, table, type Stats } from './_util.ts';

const US = Number(process.env.SCALE_US ?? 20);
const N = envInt('SCALE_N', Math.round(2e6 / US));
const MAX_W = envInt('SCALE_MAX_W', availableParallelism());
const MAX_RUN_S = Number(process.env.WORKERS_MAX_RUN_S ?? (4 * N * US) / 1e6);
const DETAIL = process.env.SCALE_DETAIL === '1';
const MAX_RUN_MS = MAX_RUN_S > 0 ? Math.round(MAX_RUN_S * 1000) : 0;

/** Iterations of spin() that take `us` µs on this thread (best of a few timings). */
function calibrate(us: number): { iter: number; nsPerIter: number } {
  const probe = 2_000_000;
  let best = Infinity;
  let sink = 0;
  for (let k = 0; k < 7; k++) {
    const t = performance.now();
    sink ^= spin(k, probe);
    best = Math.min(best, performance.now() - t);
  }
  if (sink === 0x7fffffff) log('(unlikely)'); // keep the result alive
  const nsPerIter = (best * 1e6) / probe;
  return { iter: Math.max(1, Math.round((us * 1000) / nsPerIter)), nsPerIter };
}

function graph(n: number, skip: number, iter: number, parallel: boolean): Graph {
  const g = emptyGraph();
  g.nodes.push({ id: 'src', component: 'bench/F64Source', metadata: {} });
  g.nodes.push({ id: 'work', component: 'bench/Spin', metadata: parallel ? { parallel: 'auto' } : {} });
  g.nodes.push({ id: 'sink', component: 'bench/F64Sink', metadata: {} });
  g.edges.push({ from: { node: 'src', port: 'out' }, to: { node: 'work', port: 'in' }, metadata: {} });
  g.edges.push({ from: { node: 'work', port: 'out' }, to: { node: 'sink', port: 'in' }, metadata: {} });
  const iip = (node: string, port: string, data: number) => g.iips.push({ data, fromText: false, to: { node, port }, metadata: {} });
  iip('src', 'count', n);
  iip('src', 'max_ms', MAX_RUN_MS);
  iip('work', 'iter', iter);
  iip('sink', 'n', n);
  iip('sink', 'skip', skip);
  return g;
}

interface Row extends Stats {
  id: string;
  workers: number;
  samples: Sample[];
  ratio: number;
  /** The ratio over the worker count: 1 is perfect scaling. */
  efficiency: number;
  usPerIp: number;
  cut: number;
}

const m = machine();
console.error(machineLine(m));
const cal = calibrate(US);
log(`SCALE_US=${US} (${cal.iter} iterations, ${cal.nsPerIter.toFixed(3)} ns each, on the main thread) SCALE_N=${N} BENCH_RUNS=${RUNS}`);

const counts = [1];
for (let w = 2; w <= MAX_W; w *= 2) counts.push(w);
if (!counts.includes(MAX_W)) counts.push(MAX_W);
if (process.env.SCALE_COUNTS) {
  const only = process.env.SCALE_COUNTS.split(',').map(Number);
  counts.splice(0, counts.length, ...[1, ...only.filter((w) => Number.isInteger(w) && w > 1)]);
}

const rows: Row[] = [];
const variants: [number, boolean][] = [];
for (const w of counts) {
  variants.push([w, false]);
  if (w > 1) variants.push([w, true]);
}
for (const [workers, pin] of variants) {
  const once = async (n: number): Promise<Sample> => {
    const skip = Math.max(1, Math.floor(n / 10));
    const out = new Capture();
    const t0 = clock();
    const r = await run(graph(n, skip, cal.iter, workers > 1), { workers, pin, components: [COMPONENTS], stdout: out, onWarning: (t) => log(t) });
    const t1 = clock();
    if (r.status !== 'finished') throw new Error(`scaling on ${workers} workers: ${r.status}: ${r.failure?.message ?? ''}`);
    const rep = out.lines('sink')[0] as unknown as ConsumerReport;
    if (DETAIL && r.stats.workers) {
      // Where the time went: each worker's busy share, and the IPs each replica took.
      const busy = r.stats.workers.map((w) => `${w.worker}:${Math.round((100 * w.busyMs) / Math.max(1, w.busyMs + w.idleMs))}%`).join(' ');
      const taken = r.stats.boxes.filter((b) => b.box.startsWith('work')).map((b) => b.ipsIn);
      log(`  ${workers}${pin ? ".pin" : ""} n=${n} busy ${busy}; replica IPs min ${Math.min(...taken)} max ${Math.max(...taken)}`);
    }
    return { ...sampleOf(`scaling on ${workers} workers`, rep, n, skip), endToEnd: rep.got / ((t1 - t0) / 1000) };
  };
  await once(Math.max(100, Math.floor(N / 10)));
  const ss: Sample[] = [];
  for (let k = 0; k < RUNS; k++) ss.push(await once(N));
  const id = `workers${workers}${pin ? '.pin' : ''}`;
  log(id, ss.map((s) => fmtNum(s.steady)).join(' '));
  const st = stats(ss.map((s) => s.steady));
  rows.push({ id, workers, samples: ss, ...st, ratio: 0, efficiency: 0, usPerIp: 1e6 / st.median, cut: ss.filter((s) => s.cut).length });
}
const base = rows[0];
for (const r of rows) {
  r.ratio = r.median / base.median;
  r.efficiency = r.ratio / r.workers;
}

const verdicts: string[] = [];
const two = rows.find((r) => r.id === 'workers2');
if (two) verdicts.push(`target workers2 >= 1.8x workers1: ${fmtRatio(two.ratio)} ${two.ratio >= 1.8 ? 'PASS' : 'MISS'}`);
const sixteen = rows.find((r) => r.id === 'workers16');
if (sixteen) verdicts.push(`target workers16 >= 12x workers1: ${fmtRatio(sixteen.ratio)} ${sixteen.ratio >= 12 ? 'PASS' : 'MISS'}`);
else verdicts.push('target workers16 >= 12x: not measured (fewer than 16 cores here)');

output({ bench: 'scaling', machine: m, params: { US, N, RUNS, MAX_RUN_S, iter: cal.iter, nsPerIter: cal.nsPerIter, measured: 'in the sink, IP N/10 → IP N' }, rows, verdicts }, () =>
  [
    `# scaling: a CPU-bound stage (${US} µs per IP) as a parallel node on 1..${MAX_W} workers (median of ${RUNS} runs)`,
    machineLine(m),
    `params: SCALE_N=${fmtNum(N)} IPs of f64, Spin ${cal.iter} iterations (${US} µs calibrated on the main thread), capacity 10, checked`,
    'rate: measured in the sink from IP N/10 to IP N; µs/IP: 1 / rate (the stage time, plus overhead, over all replicas)',
    '',
    table(
      ['row', '>IPs/s', '>min – max', '>µs/IP', '>× workers1', '>efficiency', '>cut'],
      rows.map((r) => [r.id, fmtNum(r.median), `${fmtNum(r.min)} – ${fmtNum(r.max)}`, r.usPerIp.toFixed(2), fmtRatio(r.ratio), `${(r.efficiency * 100).toFixed(0)}%`, r.cut ? `${r.cut}/${r.runs.length}` : '']),
    ),
    '',
    ...verdicts,
  ].join('\n'),
);
void median;
