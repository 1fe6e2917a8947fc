/**
 * bench/arena.ts — How fast do large binary payloads (1 MiB Float64Arrays) go from worker 0 to
 * worker 1: in the shared arena by handle (no copy), against `port.bytes()` (copied through the
 * ring) and against plain worker postMessage, with and without a transfer list, in the same run?
 *
 * Rows (one way, one producer thread, one consumer thread, capacity/window C = ARENA_CAP):
 *   arena           `run(graph, {workers: 2, capacity: C})`: bench/ArenaSource (looper,
 *                   ctx.alloc(Float64Array, 131072, {zero: false}), port.shared()) pinned to
 *                   worker 0 → bench/ArenaSink (non-looper, port.shared(), the runtime drops
 *                   each IP: its block is freed on worker 1) pinned to worker 1.
 *   arena.zeroed    (information) the same with ctx.alloc's default: each reused block is
 *                   zero-filled, as `new Float64Array(n)` would be.
 *   bytes           bench/BytesSource → bench/BytesSink through `port.bytes()`: the 1 MiB
 *                   record is copied into the ring in fragments on worker 0 and reassembled
 *                   into a fresh Uint8Array on worker 1 (one producer buffer, reused).
 *   postmsg.transfer  plain worker_threads (bench/_arena-xworker.ts): a MessageChannel from
 *                   a producer worker to a consumer worker; a new Float64Array per payload,
 *                   posted with its buffer in the transfer list; at most C unconsumed (a shared
 *                   counter, Atomics.wait), as a bounded connection would allow.
 *   postmsg.copy    the same without the transfer list: one array reused, structured clone
 *                   copies it.
 * In every row the producer writes the payload's number into its first and last element and
 * nothing else, and the consumer checks both (a torn payload throws) and sums the numbers
 * (checked against the count: no payload lost or duplicated). So the rows measure moving a
 * payload, not filling or reading it; a real workload adds its own pass over the data.
 *
 * Steady state, as in cross-worker.ts: payloads/s measured in the consumer from payload N/10 to
 * payload N; GB/s = payloads/s × 1,048,576 bytes / 1e9. One discarded warm-up run (N/10), then
 * the median of BENCH_RUNS runs. Each weft run must end `finished` with the arena's in-use
 * bytes at 0 (its peak is printed). Time box: WORKERS_MAX_RUN_S (4) s per run from its first
 * payload; a run cut short is measured up to its last payload (column "cut").
 *
 * Parameters (environment): ARENA_N (20,000 payloads: arena rows), ARENA_COPY_N (2,000: the
 * copying rows), ARENA_CAP (4), BENCH_RUNS (5), WORKERS_MAX_RUN_S (4). Flags: --json.
 * Run: node --import tsx bench/arena.ts
 */
import { Worker } from 'node:worker_threads';
import { emptyGraph, type Graph } from '../src/graph/graph.ts';
import { run } from '../src/index.ts';
import { clock, COMPONENTS, MAX_RUN_MS, MAX_RUN_S, sampleOf, verify, Capture, type ConsumerReport, type Sample } from './_workers.ts';
import { envInt, fmtNum, fmtRatio, log, machine, machineLine, median, output, RUNS, stats, table, type Stats } from './_util.ts';

const BOOT = new URL('./_boot.mjs', import.meta.url);
const XWORKER = new URL('./_arena-xworker.ts', import.meta.url).href;
const N = envInt('ARENA_N', 20_000);
const COPY_N = envInt('ARENA_COPY_N', 2_000);
const CAP = envInt('ARENA_CAP', 4);
const SIZE = 131072; // float64s: 1 MiB
const BYTES = SIZE * 8;

// ---- weft rows --------------------------------------------------------------------------------
function pairGraph(source: string, sink: string, n: number, skip: number, extra: Record<string, unknown>): Graph {
  const g = emptyGraph();
  g.nodes.push({ id: 'src', component: `bench/${source}`, metadata: { worker: 0 } });
  g.nodes.push({ id: 'sink', component: `bench/${sink}`, metadata: { worker: 1 } });
  g.edges.push({ from: { node: 'src', port: 'out' }, to: { node: 'sink', port: 'in' }, metadata: {} });
  const iip = (node: string, port: string, data: unknown) => g.iips.push({ data, fromText: false, to: { node, port }, metadata: {} });
  iip('src', 'count', n);
  iip('src', 'max_ms', MAX_RUN_MS);
  for (const [k, v] of Object.entries(extra)) iip('src', k, v);
  iip('sink', 'n', n);
  iip('sink', 'skip', skip);
  return g;
}

/** The arena's peak of the last weft arena run (bytes), for the table. */
const peaks = new Map<string, number>();

function weftRun(id: string, source: string, sink: string, extra: Record<string, unknown>) {
  return async (n: number): Promise<Sample> => {
    const skip = Math.max(1, Math.floor(n / 10));
    const out = new Capture();
    const t0 = clock();
    const r = await run(pairGraph(source, sink, n, skip, extra), { workers: 2, components: [COMPONENTS], capacity: CAP, stdout: out });
    const t1 = clock();
    if (r.status !== 'finished') throw new Error(`${id}: ${r.status}: ${r.failure?.message ?? ''}`);
    if (r.stats.arena !== undefined) {
      if (r.stats.arena.inUse !== 0) throw new Error(`${id}: ${r.stats.arena.inUse} bytes of the arena still in use at the end`);
      peaks.set(id, r.stats.arena.peak);
    }
    const rep = out.lines('sink')[0] as unknown as ConsumerReport;
    const s = sampleOf(id, rep, n, skip);
    return { ...s, endToEnd: rep.got / ((t1 - t0) / 1000), startupMs: rep.first - t0 };
  };
}

// ---- postMessage rows -------------------------------------------------------------------------
async function startWorker(role: 'producer' | 'consumer'): Promise<Worker> {
  const w = new Worker(BOOT, { workerData: { entry: XWORKER, role } });
  await new Promise<void>((res, rej) => {
    w.once('message', () => res());
    w.once('error', rej);
  });
  return w;
}
const next = <T>(w: Worker) => new Promise<T>((res) => w.once('message', res));

function postmsgRun(producer: Worker, consumer: Worker, transfer: boolean) {
  return async (n: number): Promise<Sample> => {
    const skip = Math.max(1, Math.floor(n / 10));
    const { port1, port2 } = new MessageChannel();
    const credit = new SharedArrayBuffer(8);
    const listening = next<string>(consumer);
    consumer.postMessage({ cmd: 'run', port: port2, n, skip, credit }, [port2 as never]);
    await listening;
    const report = next<ConsumerReport>(consumer);
    const t0 = clock();
    producer.postMessage({ cmd: 'run', port: port1, n, size: SIZE, window: CAP, transfer, credit, maxMs: MAX_RUN_MS }, [port1 as never]);
    const rep = await report;
    const t1 = clock();
    return { ...sampleOf(`postmsg ${transfer ? 'transfer' : 'copy'}`, rep, n, skip), endToEnd: rep.got / ((t1 - t0) / 1000) };
  };
}

// ---- measurement ------------------------------------------------------------------------------
interface Row extends Stats {
  id: string;
  label: string;
  n: number;
  samples: Sample[];
  cut: number;
  firstToLast: number;
  endToEnd?: number;
  startupMs?: number;
}
const rows: Row[] = [];

async function measure(id: string, label: string, n: number, once: (n: number) => Promise<Sample>): Promise<void> {
  log(`${id}: warm-up (${fmtNum(Math.max(20, Math.floor(n / 10)))}), then ${RUNS} runs of ${fmtNum(n)}`);
  await once(Math.max(20, Math.floor(n / 10)));
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = await once(n);
    samples.push(s);
    log(`  ${id} run ${i + 1}: ${fmtNum(s.steady)} payloads/s${s.cut ? ` (cut at ${s.got})` : ''}`);
  }
  const pick = (f: (s: Sample) => number | undefined) => {
    const xs = samples.map(f).filter((x): x is number => x !== undefined);
    return xs.length > 0 ? median(xs) : undefined;
  };
  rows.push({
    id,
    label,
    n,
    samples,
    ...stats(samples.map((s) => s.steady)),
    cut: samples.filter((s) => s.cut).length,
    firstToLast: pick((s) => s.firstToLast)!,
    endToEnd: pick((s) => s.endToEnd),
    startupMs: pick((s) => s.startupMs),
  });
}

const m = machine();
await measure('arena', 'weft, port.shared(): ctx.alloc({zero: false}), 12-byte handle in the ring', N, weftRun('arena', 'ArenaSource', 'ArenaSink', { zero: false }));
await measure('arena.zeroed', '(info) the same, ctx.alloc zero-fills each reused block', N, weftRun('arena.zeroed', 'ArenaSource', 'ArenaSink', { zero: true }));
await measure('bytes', 'weft, port.bytes(): copied into the ring in fragments, reassembled', COPY_N, weftRun('bytes', 'BytesSource', 'BytesSink', {}));
const producer = await startWorker('producer');
const consumer = await startWorker('consumer');
await measure('postmsg.transfer', 'worker → worker postMessage, buffer in the transfer list (new array each)', COPY_N, postmsgRun(producer, consumer, true));
await measure('postmsg.copy', 'worker → worker postMessage, structured clone copies (one array reused)', COPY_N, postmsgRun(producer, consumer, false));
await producer.terminate();
await consumer.terminate();
verify('self-check', 3, 3, 3); // the checksum helper itself (0 + 1 + 2)

const base = rows.find((r) => r.id === 'bytes')!;
const gbps = (rate: number) => (rate * BYTES) / 1e9;
const mib = (b: number | undefined) => (b === undefined ? '' : `${(b / 2 ** 20).toFixed(0)} MiB`);
output(
  {
    bench: 'arena',
    machine: m,
    params: { N, COPY_N, CAP, SIZE, BYTES, RUNS, MAX_RUN_S, skip: 'N/10', measured: 'in the consumer, payload N/10 → payload N' },
    rows: rows.map((r) => ({ ...r, gbps: gbps(r.median), ratioToBytes: r.median / base.median, arenaPeak: peaks.get(r.id) })),
  },
  () =>
    [
      `# arena: 1 MiB Float64Array payloads from worker 0 to worker 1 (median of ${RUNS} runs; capacity/window ${CAP})`,
      machineLine(m),
      `params: ARENA_N=${fmtNum(N)} (arena rows) ARENA_COPY_N=${fmtNum(COPY_N)} (the others) ARENA_CAP=${CAP} BENCH_RUNS=${RUNS} WORKERS_MAX_RUN_S=${MAX_RUN_S}`,
      'steady state: measured in the consumer from payload N/10 to payload N; GB/s = payloads/s × 1 MiB / 1e9; the producer writes only the first and',
      'last element of each payload and the consumer reads only those (the rows move payloads; filling or reading 1 MiB is the workload\'s own cost)',
      '',
      table(
        ['row', '>payloads/s', '>min – max', '>GB/s', '>µs/payload', '>× bytes', '>first→last', '>end to end', '>arena peak', '>cut', 'what'],
        rows.map((r) => [
          r.id,
          fmtNum(r.median),
          `${fmtNum(r.min)} – ${fmtNum(r.max)}`,
          gbps(r.median).toFixed(1),
          (1e6 / r.median).toFixed(1),
          fmtRatio(r.median / base.median),
          fmtNum(r.firstToLast),
          r.endToEnd === undefined ? '' : fmtNum(r.endToEnd),
          mib(peaks.get(r.id)),
          r.cut ? `${r.cut}/${r.samples.length}` : '',
          r.label,
        ]),
      ),
    ].join('\n'),
);
