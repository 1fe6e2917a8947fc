/**
 * bench/idle-workers.ts — Idle boxes spread over every core: what does a box cost in heap, how
 * long does a network of a million boxes take to start, and what CPU does a waiting network burn?
 *
 * Part 1, idle boxes. One chain src → p0 … p(B-1) → sink of B pass-through boxes
 * (bench/Pass, non-loopers, checked, capacity 10), run with `workers: W` = availableParallelism()
 * (placement cuts the chain into W contiguous pieces: W − 1 rings) and, as the baseline, with
 * `workers: 1` (everything on the main thread), the same B. The source is bench/Timed: it waits
 * (a timer) and then sends one `{n: 0}` through the chain. One bench/Probe is pinned to each
 * worker (node metadata `worker: K`); at a set time after its worker started, while every box
 * is idle, it runs gc() and reports the used heap of its thread's isolate. Steps, per W:
 *   1. A small run (B0 = 1,000 boxes) first: warms the code up and gives the heap the process
 *      has without the boxes (the per-box figures subtract it).
 *   2. gc(); build the Graph object in the main thread; gc(): graph data per node (main thread).
 *   3. createNetwork(graph, {workers: W}) (load, validate; with W > 1 also placement; with W = 1
 *      also the build): "prepare ms". Then run(): "start ms" is from run() to the moment every
 *      worker has built its boxes and started (the latest first activation of a Probe or the
 *      source: a worker's boxes are all blocked by then). Start-up = prepare + start, i.e. from
 *      the call to all workers idle.
 *   4. The probes fire (every box idle, the source waiting on its timer); when all have
 *      reported, the main thread runs gc() too. Heap per box = (Σ heaps of all isolates − the
 *      same at B0) / (B − B0): main thread + workers, graph data included (every worker gets
 *      the whole graph). RSS per box likewise (the whole process).
 *   5. The source sends one IP: 1st IP through (source → sink, every box's first activation),
 *      then the source returns and the end of stream ripples through: shutdown ms (until
 *      run() resolves).
 * One run per configuration (as idle-memory.ts); B = 1,000,000 by default.
 *
 * Part 2 (run first, before the big networks leave garbage to collect), idle CPU. bench/Timed (pinned to worker 0) sends one IP every 200 ms, 16 in all
 * (~3 s), through bench/Pass to bench/ObjSink (pinned to worker 1), `workers: 2`; the same on
 * `workers: 1` for comparison. Between the first and the last IP (both seen on the main thread)
 * the whole process's CPU time (process.cpuUsage(): getrusage of the process, every thread:
 * main, workers, V8 and libuv helpers) is divided by the wall time. Target: < 1%. Also shown:
 * the same from /proc/self/stat (10 ms ticks) and the CPU per thread (/proc/self/task/TID/schedstat:
 * the main thread, the source's worker, the sink's worker, all other threads together: V8's and
 * libuv's helpers). The source reports only its first and last IP, so reports add no work per IP.
 *
 * A start that takes longer than IDLE_W_START_LIMIT_S is given up (the workers are terminated;
 * the row says so). On the 2-core VM 1,000,000 boxes on 2 workers start in about 25 s.
 *
 * Parameters (environment): IDLE_W_BOXES (1,000,000), IDLE_W_WORKERS (availableParallelism()),
 * IDLE_W_START_LIMIT_S (60), IDLE_CPU_EVERY_MS (200), IDLE_CPU_COUNT (16). Flags: --json.
 * Run: node --expose-gc --import tsx bench/idle-workers.ts
 */
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { emptyGraph, type Graph } from '../src/graph/graph.ts';
import { createNetwork, type RunnableNetwork } from '../src/index.ts';
import { clock, COMPONENTS, Capture } from './_workers.ts';
import { envInt, fmtNum, log, machine, machineLine, output, table } from './_util.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (typeof gc !== 'function') throw new Error('run with node --expose-gc --import tsx bench/idle-workers.ts');
const B = envInt('IDLE_W_BOXES', 1_000_000);
const B0 = Math.min(1000, B);
const W = envInt('IDLE_W_WORKERS', availableParallelism());
const EVERY = envInt('IDLE_CPU_EVERY_MS', 200);
const COUNT = envInt('IDLE_CPU_COUNT', 16);
const LIMIT_S = envInt('IDLE_W_START_LIMIT_S', 60);

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

// ---- part 1: idle boxes ------------------------------------------------------------------------
/**
 * src (bench/Timed: one IP after `first` ms) → p0 … p(boxes-1) → sink, and one Probe pinned to
 * each worker, firing `probeAt` ms after its worker started.
 */
function idleGraph(boxes: number, workers: number, first: number, probeAt: number): Graph {
  const g = emptyGraph();
  const iip = (node: string, port: string, data: number) => g.iips.push({ data, fromText: false, to: { node, port }, metadata: {} });
  g.nodes.push({ id: 'src', component: 'bench/Timed', metadata: {} });
  iip('src', 'first', first);
  iip('src', 'every', 0);
  iip('src', 'count', 1);
  let prev = 'src';
  for (let i = 0; i <= boxes; i++) {
    const id = i < boxes ? `p${i}` : 'sink';
    g.nodes.push({ id, component: i < boxes ? 'bench/Pass' : 'bench/ObjSink', metadata: {} });
    g.edges.push({ from: { node: prev, port: 'out' }, to: { node: id, port: 'in' }, metadata: {} });
    prev = id;
  }
  for (let w = 0; w < workers; w++) {
    g.nodes.push({ id: `probe${w}`, component: 'bench/Probe', metadata: workers > 1 ? { worker: w } : {} });
    iip(`probe${w}`, 'at', probeAt);
  }
  return g;
}

const rss = () => process.memoryUsage().rss;

interface IdleResult {
  workers: number;
  boxes: number;
  graphBytesPerNode: number;
  prepareMs: number;
  startMs: number;
  startupMs: number;
  /** Σ used heap of every isolate at idle (main included), bytes. */
  heapTotal: number;
  heapMain: number;
  heapWorkers: number[];
  rss: number;
  firstIpMs: number;
  hopsPerSec: number;
  shutdownMs: number;
  status: string;
}

/** The workers of a MultiNetwork (a private field: used only to give up on a start that hangs). */
function workersOf(net: RunnableNetwork): Worker[] {
  return (net as unknown as { workers?: Worker[] }).workers ?? [];
}

async function idleRun(boxes: number, workers: number): Promise<IdleResult> {
  // Leave time for the slowest worker to build and block its boxes before the probes fire.
  const probeAt = Math.max(300, Math.round(boxes / 1000));
  const first = probeAt + 500;
  const h0 = heap();
  let graph: Graph | null = idleGraph(boxes, workers, first, probeAt);
  const h1 = heap();
  let allProbes!: () => void;
  const probed = new Promise<void>((res) => (allProbes = res));
  let probes = 0;
  let mainHeap = 0, rssAt = 0;
  const out = new Capture((o) => {
    if ((o as { bench?: unknown }).bench === 'probe' && ++probes === workers) {
      // Every worker's boxes are idle: the main thread's own heap (it is idle too), and the RSS.
      mainHeap = workers > 1 ? heap() : 0;
      rssAt = rss();
      allProbes();
    }
  });
  const t0 = clock();
  let net: RunnableNetwork | null = await createNetwork(graph, { workers, components: [COMPONENTS], stdout: out });
  const t1 = clock();
  const done = net.run();
  // A start that takes longer than the limit is given up: the workers are terminated.
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = await Promise.race([
    probed.then(() => false),
    new Promise<boolean>((res) => (timer = setTimeout(() => res(true), LIMIT_S * 1000 + probeAt))),
  ]);
  clearTimeout(timer);
  if (gaveUp) {
    log(`idle ${boxes} on ${workers}: not started after ${LIMIT_S} s; terminating the workers`);
    await Promise.all(workersOf(net).map((w) => w.terminate()));
    await done;
    return { workers, boxes, graphBytesPerNode: (h1 - h0) / (boxes + 2 + workers), prepareMs: t1 - t0, startMs: NaN, startupMs: NaN, heapTotal: NaN, heapMain: NaN, heapWorkers: [], rss: NaN, firstIpMs: NaN, hopsPerSec: NaN, shutdownMs: NaN, status: `gave up: not started after ${LIMIT_S} s` };
  }
  const result = await done;
  const t3 = clock();
  net = null;
  if (graph.nodes.length !== boxes + 2 + workers) throw new Error('graph'); // keeps the graph alive until here
  graph = null;
  if (result.status !== 'finished') throw new Error(`idle ${boxes} on ${workers}: ${result.status}: ${result.failure?.message ?? ''}`);
  const startedAt = Math.max(...out.lines('started').map((o) => o.at), ...out.lines('probe').map((o) => o.started));
  const tick = out.lines('tick')[0];
  const sink = out.lines('sink')[0];
  if (!tick || !sink || sink.got !== 1) throw new Error(`idle ${boxes} on ${workers}: the IP did not arrive (${JSON.stringify(sink)})`);
  const ph = out.lines('probe').map((o) => o.heapUsed);
  return {
    workers,
    boxes,
    graphBytesPerNode: (h1 - h0) / (boxes + 2 + workers),
    prepareMs: t1 - t0,
    startMs: startedAt - t1,
    startupMs: startedAt - t0,
    heapTotal: mainHeap + ph.reduce((a, b) => a + b, 0),
    heapMain: workers > 1 ? mainHeap : ph[0],
    heapWorkers: workers > 1 ? ph : [],
    rss: rssAt,
    firstIpMs: sink.first - tick.at,
    hopsPerSec: (boxes + 1) / ((sink.first - tick.at) / 1000),
    shutdownMs: t3 - sink.first,
    status: result.status,
  };
}

// ---- part 2: idle CPU --------------------------------------------------------------------------
function cpuGraph(workers: number): Graph {
  const g = emptyGraph();
  const iip = (node: string, port: string, data: number) => g.iips.push({ data, fromText: false, to: { node, port }, metadata: {} });
  const pin = (w: number) => (workers > 1 ? { worker: w } : {});
  g.nodes.push({ id: 'src', component: 'bench/Timed', metadata: pin(0) });
  g.nodes.push({ id: 'pass', component: 'bench/Pass', metadata: {} });
  g.nodes.push({ id: 'sink', component: 'bench/ObjSink', metadata: pin(workers - 1) });
  g.edges.push({ from: { node: 'src', port: 'out' }, to: { node: 'pass', port: 'in' }, metadata: {} });
  g.edges.push({ from: { node: 'pass', port: 'out' }, to: { node: 'sink', port: 'in' }, metadata: {} });
  iip('src', 'first', EVERY);
  iip('src', 'every', EVERY);
  iip('src', 'count', COUNT);
  return g;
}

/** CPU ms per thread of this process by tid (/proc/self/task/TID/schedstat: ns on the CPU). */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      out.set(Number(t), Number(fs.readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // the thread ended
    }
  }
  return out;
}
function procStatCpuMs(): number {
  try {
    const s = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

interface CpuResult {
  workers: number;
  wallMs: number;
  cpuMs: number;
  cpuPct: number;
  procStatMs: number;
  procStatPct: number;
  /** CPU ms in the window: the main thread, the source's and the sink's threads, all others. */
  byThread: Record<string, number>;
}

async function cpuRun(workers: number): Promise<CpuResult> {
  let c0: NodeJS.CpuUsage | null = null, c1: NodeJS.CpuUsage | null = null;
  let t0 = 0, t1 = 0, s0 = 0, s1 = 0;
  let th0 = new Map<number, number>(), th1 = new Map<number, number>();
  const out = new Capture((o) => {
    if ((o as { bench?: unknown }).bench !== 'tick') return;
    if (o.i === 0) {
      th0 = threadCpu();
      s0 = procStatCpuMs();
      t0 = clock();
      c0 = process.cpuUsage();
    } else if (o.i === COUNT - 1) {
      c1 = process.cpuUsage(c0!);
      t1 = clock();
      s1 = procStatCpuMs();
      th1 = threadCpu();
    }
  });
  const net = await createNetwork(cpuGraph(workers), { workers, components: [COMPONENTS], stdout: out });
  const r = await net.run();
  if (r.status !== 'finished') throw new Error(`idle cpu on ${workers}: ${r.status}: ${r.failure?.message ?? ''}`);
  const got = out.lines('sink')[0]?.got;
  if (got !== COUNT || c1 === null) throw new Error(`idle cpu on ${workers}: the sink got ${got} IPs, expected ${COUNT}`);
  const cpu = c1 as NodeJS.CpuUsage;
  const wall = t1 - t0;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const srcTid = out.lines('started')[0]?.tid;
  const sinkTid = out.lines('sink')[0]?.tid;
  const label = (tid: number) =>
    tid === process.pid ? 'main' : tid === srcTid ? (tid === sinkTid ? 'src+sink' : 'src worker') : tid === sinkTid ? 'sink worker' : 'other threads';
  const byThread: Record<string, number> = {};
  for (const [tid, v] of th1) {
    const k = label(tid);
    byThread[k] = (byThread[k] ?? 0) + v - (th0.get(tid) ?? 0);
  }
  return { workers, wallMs: wall, cpuMs, cpuPct: (cpuMs / wall) * 100, procStatMs: s1 - s0, procStatPct: ((s1 - s0) / wall) * 100, byThread };
}

// ---- the run -----------------------------------------------------------------------------------
const m = machine();
console.error(machineLine(m));
log(`IDLE_W_BOXES=${B} IDLE_W_WORKERS=${W} IDLE_CPU_EVERY_MS=${EVERY} IDLE_CPU_COUNT=${COUNT}`);

// The idle CPU first: after the big runs, the isolates would still be collecting their garbage.
const cpu: CpuResult[] = [];
for (const workers of [2, 1]) {
  const r = await cpuRun(workers);
  log(`idle cpu on ${workers}`, JSON.stringify(r));
  cpu.push(r);
}


interface IdleRow extends IdleResult {
  heapPerBox: number;
  rssPerBox: number;
  small: IdleResult;
}
const idle: IdleRow[] = [];
for (const workers of [W, 1]) {
  const small = await idleRun(B0, workers);
  log(`idle ${B0} on ${workers}`, JSON.stringify(small));
  const big = await idleRun(B, workers);
  log(`idle ${B} on ${workers}`, JSON.stringify(big));
  const d = Math.max(1, B - B0);
  idle.push({ ...big, heapPerBox: (big.heapTotal - small.heapTotal) / d, rssPerBox: (big.rss - small.rss) / d, small });
  heap();
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;
const target = cpu.find((c) => c.workers === 2)!;
output(
  {
    bench: 'idle-workers',
    machine: m,
    params: { B, B0, W, EVERY, COUNT, capacity: 10, checked: true },
    idle,
    cpu,
    targets: [{ target: 'idle CPU of a waiting network (workers 2) < 1%', got: target.cpuPct, pass: target.cpuPct < 1 }],
  },
  () =>
    [
      `# idle-workers: ${fmtNum(B)} idle pass-through boxes on ${W} workers vs 1; idle CPU of a waiting network`,
      machineLine(m),
      `params: IDLE_W_BOXES=${fmtNum(B)} (per-box figures subtract a run with ${fmtNum(B0)}), IDLE_W_WORKERS=${W}; capacity 10, checked`,
      '',
      table(
        ['workers', '>heap/box (all isolates)', '>RSS/box', '>graph data/node (main)', '>prepare ms', '>start ms', '>start-up ms', '>heap at idle: main + workers', '>1st IP through ms', '>hops/s', '>shutdown ms'],
        idle.map((r) =>
          r.status !== 'finished'
            ? [String(r.workers), '—', '—', `${fmtNum(r.graphBytesPerNode)} B`, ms(r.prepareMs), `(${r.status})`, '—', '—', '—', '—', '—']
            : [
                String(r.workers),
                `${fmtNum(r.heapPerBox)} B`,
                `${fmtNum(r.rssPerBox)} B`,
                `${fmtNum(r.graphBytesPerNode)} B`,
                ms(r.prepareMs),
                ms(r.startMs),
                ms(r.startupMs),
                r.workers > 1 ? `${mb(r.heapMain)} + ${r.heapWorkers.map(mb).join(' + ')}` : mb(r.heapMain),
                ms(r.firstIpMs),
                fmtNum(r.hopsPerSec),
                ms(r.shutdownMs),
              ],
        ),
      ),
      'prepare: createNetwork (load, validate; placement with workers > 1, the build with 1); start: run() → every worker built and idle; start-up = both.',
      '',
      `idle CPU: bench/Timed sends 1 IP every ${EVERY} ms (${COUNT} in all) → bench/Pass → bench/ObjSink; window: 1st to last IP, seen on the main thread`,
      table(
        ['workers', '>wall ms', '>CPU ms (process.cpuUsage)', '>CPU %', '>/proc/self/stat ms', '>%', 'CPU ms per thread (/proc/self/task/*/schedstat)'],
        cpu.map((c) => [
          String(c.workers),
          c.wallMs.toFixed(0),
          c.cpuMs.toFixed(1),
          `${c.cpuPct.toFixed(2)}%`,
          String(c.procStatMs),
          `${c.procStatPct.toFixed(2)}%`,
          Object.entries(c.byThread)
            .map(([k, v]) => `${k} ${v.toFixed(1)}`)
            .join(', '),
        ]),
      ),
      '',
      'target (multi-core issue):',
      `  idle CPU of a network waiting on a slow source, workers 2: < 1%: ${target.cpuPct.toFixed(2)}% ${target.cpuPct < 1 ? 'PASS' : 'MISS'}`,
    ].join('\n'),
);

setTimeout(() => {
  console.error('idle-workers: the process did not exit by itself (something still holds the event loop)');
  process.exit(2);
}, 10_000).unref();
