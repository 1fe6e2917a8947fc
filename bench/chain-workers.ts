/**
 * bench/chain-workers.ts — The 10-box chain of chain.ts on two worker threads against one, in
 * the same run: what do the rings between workers cost or gain on a pipeline?
 *
 * The graph, as chain.ts: src → p0 … p9 → sink, with components loaded by name from
 * bench/components (workers load components by module): bench/ObjSource (a looper emitting N
 * `{n: i}` objects), bench/Pass (a non-looper pass-through, `out.send(ip)`), bench/ObjSink (a
 * non-looper counting and checksumming n). Ports are `any`: across workers the objects travel
 * as MessagePack (src/shm/codec-any.ts). Capacity: the default (10), checked (the default).
 *
 * Rows, all through `run(graph, {workers, components})`, the same N:
 *   workers1          everything on the main thread (`workers: 1`). THE BASELINE.
 *   workers2.auto     `workers: 2`, placement decides (src/placement: a chain of 12 is cut once,
 *                     6 + 6: one ring).
 *   workers2.alt      `workers: 2`, nodes pinned alternately (metadata `worker`: src 0, p0 1,
 *                     p1 0, …, sink 1): every one of the 11 edges is a ring. The worst case.
 * The printed placement line shows where each node ran and how many edges crossed.
 *
 * Steady state: the rate is measured inside the sink, from IP N/10 to IP N (excludes worker
 * start-up, ~0.3 s per run here, and the first 10% while fresh workers compile). Also shown:
 * end to end (N / the whole run() call) and start-up (run() → first IP at the sink). Each row:
 * one discarded warm-up run (N/10), then the median of BENCH_RUNS runs; every run checks the
 * count and the checksum. Time box: the source stops WORKERS_MAX_RUN_S (4) s after its first
 * IP, and such a run is measured up to its last IP (column "cut"; see _workers.ts).
 *
 * Parameters (environment): CHAINW_N (default 1,000,000), BENCH_RUNS (5), WORKERS_MAX_RUN_S (4;
 * 0: none). Flags: --json.
 * Run: node --import tsx bench/chain-workers.ts
 */
import { emptyGraph, type Graph } from '../src/graph/graph.ts';
import { place, run } from '../src/index.ts';
import { clock, COMPONENTS, MAX_RUN_MS, MAX_RUN_S, sampleOf, Capture, type ConsumerReport, type Sample } from './_workers.ts';
import { envInt, fmtNum, fmtRatio, log, machine, machineLine, median, output, RUNS, stats, table, type Stats } from './_util.ts';

const N = envInt('CHAINW_N', 1_000_000);
const HOPS = 10;

/** src → p0 … p9 → sink; `pins(i)` gives node i's worker (0 = src … 11 = sink), or none. */
function chain(n: number, skip: number, pins?: (i: number) => number, max_ms = 0): Graph {
  const g = emptyGraph();
  const ids = ['src', ...Array.from({ length: HOPS }, (_, i) => `p${i}`), 'sink'];
  ids.forEach((id, i) => {
    const component = i === 0 ? 'bench/ObjSource' : i === ids.length - 1 ? 'bench/ObjSink' : 'bench/Pass';
    g.nodes.push({ id, component, metadata: pins ? { worker: pins(i) } : {} });
    if (i > 0) g.edges.push({ from: { node: ids[i - 1], port: 'out' }, to: { node: id, port: 'in' }, metadata: {} });
  });
  g.iips.push({ data: n, fromText: false, to: { node: 'src', port: 'count' }, metadata: {} });
  g.iips.push({ data: n, fromText: false, to: { node: 'sink', port: 'n' }, metadata: {} });
  g.iips.push({ data: skip, fromText: false, to: { node: 'sink', port: 'skip' }, metadata: {} });
  g.iips.push({ data: max_ms, fromText: false, to: { node: 'src', port: 'max_ms' }, metadata: {} });
  return g;
}

/** Where each node runs, as `w0: src p0 … | w1: …; N edges cross`. */
function placementLine(workers: number, pins?: (i: number) => number): string {
  if (workers === 1) return 'all 12 nodes on the main thread; no ring';
  const g = chain(1, 1, pins);
  const p = place(g, workers);
  const per = Array.from({ length: workers }, (_, w) => `w${w}: ${g.nodes.filter((nd) => p.worker.get(nd.id) === w).map((nd) => nd.id).join(' ')}`);
  return `${per.join(' | ')}; ${p.crossEdges.length} of ${g.edges.length} edges cross workers (rings)`;
}

function chainRun(workers: number, pins?: (i: number) => number) {
  return async (n: number): Promise<Sample> => {
    const skip = Math.max(1, Math.floor(n / 10));
    const out = new Capture();
    const t0 = clock();
    const r = await run(chain(n, skip, pins, MAX_RUN_MS), { workers, components: [COMPONENTS], stdout: out });
    const t1 = clock();
    if (r.status !== 'finished') throw new Error(`chain on ${workers} workers: ${r.status}: ${r.failure?.message ?? ''}`);
    const rep = out.lines('sink')[0] as unknown as ConsumerReport;
    const s = sampleOf(`chain on ${workers} workers`, rep, n, skip);
    return { ...s, endToEnd: rep.got / ((t1 - t0) / 1000), startupMs: rep.first - t0 };
  };
}

interface Row extends Stats {
  id: string;
  label: string;
  placement: string;
  samples: Sample[];
  endToEnd: number;
  startupMs: number;
  ratio: number;
  /** Runs stopped at their time box. */
  cut: number;
}
const rows: Row[] = [];

const m = machine();
console.error(machineLine(m));
log(`CHAINW_N=${N} BENCH_RUNS=${RUNS}`);

const alt = (i: number) => i % 2;
const variants: [string, string, number, ((i: number) => number) | undefined][] = [
  ['workers1', 'workers: 1, everything on the main thread (BASELINE)', 1, undefined],
  ['workers2.auto', 'workers: 2, placed by src/placement', 2, undefined],
  ['workers2.alt', 'workers: 2, pinned alternately 0,1,0,1,… (worst case)', 2, alt],
];
for (const [id, label, workers, pins] of variants) {
  const fn = chainRun(workers, pins);
  await fn(Math.max(1000, Math.floor(N / 10))); // warm-up, discarded
  const ss: Sample[] = [];
  for (let r = 0; r < RUNS; r++) ss.push(await fn(N));
  log(id, ss.map((s) => fmtNum(s.steady)).join(' '));
  rows.push({
    id,
    label,
    placement: placementLine(workers, pins),
    samples: ss,
    ...stats(ss.map((s) => s.steady)),
    endToEnd: median(ss.map((s) => s.endToEnd!)),
    startupMs: median(ss.map((s) => s.startupMs!)),
    ratio: 0,
    cut: ss.filter((s) => s.cut).length,
  });
}
const base = rows[0];
for (const r of rows) r.ratio = r.median / base.median;

output({ bench: 'chain-workers', machine: m, params: { N, HOPS, RUNS, MAX_RUN_S, capacity: 10, checked: true, skip: 'N/10', measured: 'in the sink, IP N/10 → IP N' }, rows }, () =>
  [
    `# chain-workers: IPs/s through 10 pass-through boxes on 1 and 2 workers (median of ${RUNS} runs)`,
    machineLine(m),
    `params: CHAINW_N=${fmtNum(N)} BENCH_RUNS=${RUNS}; {n: i} objects, port.any(), capacity 10, checked`,
    'steady state: measured in the sink from IP N/10 to IP N; end to end: N / the whole run() call; start-up: run() → first IP at the sink',
    `time box: WORKERS_MAX_RUN_S=${MAX_RUN_S} s per run from its first IP; a run cut short (column "cut") is measured up to the last IP it delivered`,
    '',
    table(
      ['row', '>steady IPs/s', '>min – max', '>ns/IP', '>× workers1', '>end to end', '>start-up ms', '>cut', 'what'],
      rows.map((r) => [r.id, fmtNum(r.median), `${fmtNum(r.min)} – ${fmtNum(r.max)}`, (1e9 / r.median).toFixed(0), fmtRatio(r.ratio), fmtNum(r.endToEnd), r.startupMs.toFixed(0), r.cut ? `${r.cut}/${r.runs.length}` : '', r.label]),
    ),
    '',
    'placement:',
    ...rows.map((r) => `  ${r.id}: ${r.placement}`),
  ].join('\n'),
);
