/**
 * bench/cross-worker.ts — How many IPs per second does one connection between two worker
 * threads carry, against plain worker postMessage and against the bare shared-memory ring, in
 * the same run? Does it meet the multi-core issue's targets?
 *
 * Rows (all one-way, one producer thread, one consumer thread):
 *   (a) weft.f64.capC   `run(graph, {workers: 2, capacity: C})`: bench/F64Source (a looper
 *                       emitting 0..N-1 through `port.f64()`) pinned to worker 0 (node
 *                       metadata `worker: 0`) → bench/F64Sink (non-looper, f64 in-port) pinned
 *                       to worker 1. 8-byte records in a src/shm/ring.ts ring. C = 10 (the
 *                       default capacity) and XW_BIGCAP (256).
 *   (b) weft.obj.capC   the same with bench/ObjSource / ObjSink: `{n: i}` objects through
 *                       `port.any()` (MessagePack, src/shm/codec-any.ts).
 *   (b2) weft.str.capC  (info) the same with bench/StrSource / StrSink: String(i), short
 *                       strings (MessagePack fixstr), as words from text/Words would cross.
 *   (c) postmsg         plain worker_threads, as peers-bench 06: the main thread posts one
 *                       `{n: i}` per postMessage to a worker (no flow control). THE BASELINE of
 *                       the "≥ 8× postMessage" target; measured at the start and at the end of
 *                       the run, runs pooled.
 *   (d) postmsg.batch256  the same objects, arrays of 256 per postMessage.
 *   (e) ring.floor.capC the floor: src/shm/ring.ts used directly, f64 records, no scheduler, no
 *                       codec object, no packets: the main thread writes (hasIpRoom, reserve,
 *                       setFloat64, commit, takeRxWaiting: what RingSendEnd.offer does per IP),
 *                       a worker reads (hasRecord, peekHeader, getFloat64, consume,
 *                       takeTxWaiting: what RingReceiveEnd.tryReceive does); both spin when
 *                       full/empty (peers-bench 06's back-off). Same ring sizes as MultiNetwork
 *                       gives an f64 edge of capacity C.
 *   ring.batch.capC     (information) the same ring and records, but each side publishes its
 *                       counters (two Atomics.store) and checks the other's waiting flag once
 *                       per min(32, C/2) records and before it waits, instead of after every
 *                       record: what batched publication gives.
 *
 * Steady state. Every rate is measured *inside the consumer*, on the consumer's thread: from the
 * arrival of IP number SKIP = N/10 to the arrival of IP number N, i.e. (N − SKIP) / time. That
 * leaves out worker start-up (weft starts fresh workers for every run(): ~0.3 s here, tsx and
 * module loading) and the first 10% of the stream, while the fresh workers' code is still being
 * compiled. The streams are long because that compiling takes long: V8 optimises on background
 * threads, which on a 2-core machine compete with the two busy workers. With 3 M f64 IPs the
 * window ended before the optimised code was in (capacity 256: 16.5–19.8 M IPs/s at 3 M against
 * 32.7–35.1 M at 20 M, runs minutes apart on the same machine). Also shown: first→last (IP 1
 * to IP N, same clock), end to end (N / the whole run() call, start-up and shutdown included),
 * and start-up (run() called → first IP at the sink).
 * Each row: one discarded warm-up run (N/10), then the median of BENCH_RUNS runs. Every run
 * checks the count and the int32 checksum of the values and throws if either is wrong.
 * Time box: a weft or ring run stops producing WORKERS_MAX_RUN_S (4) s after its first IP and
 * is then measured up to the last IP it delivered (the "cut" column counts such runs). On a
 * quiet machine none is; on a busy one a run can otherwise be 50× slower (both threads sleeping
 * and waking each other every few IPs) and take minutes.
 *
 * Targets (issue, multi-core): typed f64 ≥ 20 M IPs/s; small objects ≥ 3 M IPs/s and ≥ 8× postMessage
 * per message. Judged on this run's medians, for each capacity.
 *
 * Parameters (environment): XW_F64_N (20,000,000), XW_OBJ_N (6,000,000), XW_MSG_N (500,000),
 * XW_RING_N (10,000,000), XW_BIGCAP (256), BENCH_RUNS (5), WORKERS_MAX_RUN_S (4; 0: none),
 * XW_ONLY (comma-separated row ids, `weft.*` for a prefix; postmsg always runs). Flags: --json.
 * Run: node --import tsx bench/cross-worker.ts
 */
import { Worker } from 'node:worker_threads';
import { emptyGraph, type Graph } from '../src/graph/graph.ts';
import { run } from '../src/index.ts';
import { createRing, K_DATA, RingWriter } from '../src/shm/ring.ts';
import { ringBytes } from '../src/worker/shares.ts'; // the ring size the runtime gives a cross-worker edge
import { clock, COMPONENTS, MAX_RUN_MS, MAX_RUN_S, sampleOf, verify, Capture, type ConsumerReport, type Sample } from './_workers.ts';
import { envInt, fmtNum, fmtRatio, log, machine, machineLine, median, output, RUNS, stats, table, type Stats } from './_util.ts';

const BOOT = new URL('./_boot.mjs', import.meta.url);
const XWORKER = new URL('./_xworker.ts', import.meta.url).href;
const F64_N = envInt('XW_F64_N', 20_000_000);
const OBJ_N = envInt('XW_OBJ_N', 6_000_000);
const MSG_N = envInt('XW_MSG_N', 500_000);
const RING_N = envInt('XW_RING_N', 10_000_000);
const BIGCAP = envInt('XW_BIGCAP', 256);
const BATCH = 256;
const ONLY = (process.env.XW_ONLY ?? '').split(',').filter(Boolean);
const selected = (id: string) => ONLY.length === 0 || ONLY.some((p) => (p.endsWith('*') ? id.startsWith(p.slice(0, -1)) : id === p));

// ---- (a), (b): weft, two workers --------------------------------------------------------------
function pairGraph(kind: 'F64' | 'Obj' | 'Str', n: number, skip: number, max_ms: number): Graph {
  const g = emptyGraph();
  g.nodes.push({ id: 'src', component: `bench/${kind}Source`, metadata: { worker: 0 } });
  g.nodes.push({ id: 'sink', component: `bench/${kind}Sink`, metadata: { worker: 1 } });
  g.edges.push({ from: { node: 'src', port: 'out' }, to: { node: 'sink', port: 'in' }, metadata: {} });
  g.iips.push({ data: n, fromText: false, to: { node: 'src', port: 'count' }, metadata: {} });
  g.iips.push({ data: n, fromText: false, to: { node: 'sink', port: 'n' }, metadata: {} });
  g.iips.push({ data: skip, fromText: false, to: { node: 'sink', port: 'skip' }, metadata: {} });
  g.iips.push({ data: max_ms, fromText: false, to: { node: 'src', port: 'max_ms' }, metadata: {} });
  return g;
}

function weftRun(kind: 'F64' | 'Obj' | 'Str', capacity: number) {
  return async (n: number): Promise<Sample> => {
    const skip = Math.max(1, Math.floor(n / 10));
    const out = new Capture();
    const t0 = clock();
    const r = await run(pairGraph(kind, n, skip, MAX_RUN_MS), { workers: 2, components: [COMPONENTS], capacity, stdout: out });
    const t1 = clock();
    if (r.status !== 'finished') throw new Error(`weft ${kind} cap ${capacity}: ${r.status}: ${r.failure?.message ?? ''}`);
    const rep = out.lines('sink')[0] as unknown as ConsumerReport;
    const s = sampleOf(`weft ${kind} cap ${capacity}`, rep, n, skip);
    return { ...s, endToEnd: rep.got / ((t1 - t0) / 1000), startupMs: rep.first - t0 };
  };
}

// ---- (c), (d), (e): plain worker_threads ------------------------------------------------------
async function startWorker(mode: string): Promise<Worker> {
  const w = new Worker(BOOT, { workerData: { entry: XWORKER, mode } });
  await new Promise<void>((res, rej) => {
    w.once('message', () => res());
    w.once('error', rej);
  });
  return w;
}
const reply = (w: Worker) => new Promise<ConsumerReport>((res) => w.once('message', res));

function postmsgRun(w: Worker, batch: number) {
  return async (n: number): Promise<Sample> => {
    const skip = Math.max(1, Math.floor(n / 10));
    w.postMessage({ cmd: 'start', n, skip });
    const done = reply(w);
    const t0 = clock();
    if (batch === 1) for (let i = 0; i < n; i++) w.postMessage({ n: i });
    else {
      for (let i = 0; i < n; ) {
        const k = Math.min(batch, n - i);
        const arr = new Array(k);
        for (let j = 0; j < k; j++) arr[j] = { n: i + j };
        i += k;
        w.postMessage(arr);
      }
    }
    const rep = await done;
    const t1 = clock();
    verify(`postmsg batch ${batch}`, n, rep.got, rep.sum);
    return { ...sampleOf(`postmsg batch ${batch}`, rep, n, skip), endToEnd: n / ((t1 - t0) / 1000) };
  };
}

const sleepWord = new Int32Array(new SharedArrayBuffer(4));

/**
 * The ring floor: the main thread writes n f64 records, a worker reads them. `batch` > 1
 * (information): the same records, but each side publishes its counters once per `batch`
 * records and before it spins (RingWriter.publish / RingReader.publishHead), instead of after
 * every record.
 */
function ringFloorRun(w: Worker, capacity: number, batch = 1) {
  return async (n: number): Promise<Sample> => {
    const skip = Math.max(1, Math.floor(n / 10));
    const init = createRing(capacity, ringBytes(capacity, 8));
    // The time box: past the deadline the producer stops and stores how many it wrote here.
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const done = reply(w);
    w.postMessage({ cmd: 'ring', init, n, skip, batch, stop: stop.buffer });
    const wr = new RingWriter(init);
    const view = wr.view;
    const t0 = clock();
    const until = MAX_RUN_MS > 0 ? t0 + MAX_RUN_MS : 0;
    let spins = 0;
    /** True (and the count stored) when the deadline passed; checked every 65,536 values. */
    const timeUp = (i: number) => (i & 0xffff) === 0 && i > 0 && until > 0 && clock() > until && (Atomics.store(stop, 0, i), true);
    if (batch <= 1) {
      for (let i = 0; i < n; ) {
        if (timeUp(i)) break;
        let off = -1;
        if (wr.hasIpRoom()) off = wr.reserve(8);
        if (off < 0) {
          if (++spins > 20_000) Atomics.wait(sleepWord, 0, 0, 0.01);
          continue;
        }
        spins = 0;
        view.setFloat64(off, i, true);
        wr.commit(K_DATA, 0, 8, true);
        wr.publish();
        wr.takeRxWaiting();
        i++;
      }
    } else {
      let unpublished = 0;
      const publish = () => {
        wr.publish();
        wr.takeRxWaiting(); // the waiting flag, once per publication
        unpublished = 0;
      };
      for (let i = 0; i < n; ) {
        if (timeUp(i)) break;
        let off = -1;
        if (wr.hasIpRoom()) off = wr.reserve(8);
        if (off < 0) {
          if (unpublished > 0) publish();
          if (++spins > 20_000) Atomics.wait(sleepWord, 0, 0, 0.01);
          continue;
        }
        spins = 0;
        view.setFloat64(off, i, true);
        wr.commit(K_DATA, 0, 8, true);
        if (++unpublished === batch) publish();
        i++;
      }
      publish();
    }
    const rep = await done;
    const t1 = clock();
    const s = sampleOf(`ring floor cap ${capacity}${batch > 1 ? ` batch ${batch}` : ''}`, rep, n, skip);
    return { ...s, endToEnd: rep.got / ((t1 - t0) / 1000) };
  };
}

// ---- the run ------------------------------------------------------------------------------------
interface Row extends Stats {
  id: string;
  label: string;
  n: number;
  samples: Sample[];
  firstToLast: number;
  endToEnd?: number;
  startupMs?: number;
  /** Runs stopped at their time box. */
  cut: number;
}
const rows: Row[] = [];
const pools = new Map<string, Sample[]>();

async function measure(id: string, label: string, n: number, fn: (n: number) => Promise<Sample>, pool = false): Promise<void> {
  if (!selected(id) && !pool) return;
  await fn(Math.max(1000, Math.floor(n / 10))); // warm-up, discarded
  const ss: Sample[] = [];
  for (let r = 0; r < RUNS; r++) ss.push(await fn(n));
  log(id, ss.map((s) => fmtNum(s.steady)).join(' '));
  const all = pool ? [...(pools.get(id) ?? []), ...ss] : ss;
  if (pool) pools.set(id, all);
  const prev = rows.findIndex((r) => r.id === id);
  if (prev >= 0) rows.splice(prev, 1);
  const opt = (xs: (number | undefined)[]) => (xs.every((x) => x !== undefined) ? median(xs as number[]) : undefined);
  rows.push({
    id,
    label,
    n,
    samples: all,
    ...stats(all.map((s) => s.steady)),
    firstToLast: median(all.map((s) => s.firstToLast)),
    endToEnd: opt(all.map((s) => s.endToEnd)),
    startupMs: opt(all.map((s) => s.startupMs)),
    cut: all.filter((s) => s.cut).length,
  });
}

const m = machine();
console.error(machineLine(m));
log(`XW_F64_N=${F64_N} XW_OBJ_N=${OBJ_N} XW_MSG_N=${MSG_N} XW_RING_N=${RING_N} XW_BIGCAP=${BIGCAP} BENCH_RUNS=${RUNS}`);

const pm = await startWorker('postmsg');
const POSTMSG_LABEL = 'worker postMessage, 1 {n} per message (BASELINE; runs pooled from start and end)';
await measure('postmsg', POSTMSG_LABEL, MSG_N, postmsgRun(pm, 1), true);

const rw = await startWorker('ring');
for (const cap of [10, BIGCAP]) {
  await measure(`ring.floor.cap${cap}`, `bare ring (src/shm/ring.ts), f64 records, capacity ${cap}, main → worker, no scheduler`, RING_N, ringFloorRun(rw, cap));
}
for (const cap of [10, BIGCAP]) {
  const batch = Math.max(2, Math.min(32, cap >> 1));
  await measure(
    `ring.batch.cap${cap}`,
    `(info) the same ring, counters published (and the waiting flag read) once per ${batch} records and before waiting`,
    RING_N,
    ringFloorRun(rw, cap, batch),
  );
}
await rw.terminate();

for (const cap of [10, BIGCAP]) {
  await measure(`weft.f64.cap${cap}`, `weft, 2 workers, F64Source (w0) → F64Sink (w1), port.f64(), capacity ${cap}`, F64_N, weftRun('F64', cap));
}
for (const cap of [10, BIGCAP]) {
  await measure(`weft.obj.cap${cap}`, `weft, 2 workers, ObjSource (w0) → ObjSink (w1), {n} via port.any(), capacity ${cap}`, OBJ_N, weftRun('Obj', cap));
}
for (const cap of [10, BIGCAP]) {
  await measure(`weft.str.cap${cap}`, `(info) weft, 2 workers, StrSource (w0) → StrSink (w1), String(i) via port.any(), capacity ${cap}`, OBJ_N, weftRun('Str', cap));
}

await measure('postmsg.batch256', `worker postMessage, arrays of ${BATCH} {n} per message`, MSG_N * 2, postmsgRun(pm, BATCH));
await measure('postmsg', POSTMSG_LABEL, MSG_N, postmsgRun(pm, 1), true);
await pm.terminate();

const byId = (id: string) => rows.find((r) => r.id === id);
const order = ['postmsg', 'postmsg.batch256', 'ring.floor.cap10', `ring.floor.cap${BIGCAP}`, 'ring.batch.cap10', `ring.batch.cap${BIGCAP}`, 'weft.f64.cap10', `weft.f64.cap${BIGCAP}`, 'weft.obj.cap10', `weft.obj.cap${BIGCAP}`, 'weft.str.cap10', `weft.str.cap${BIGCAP}`];
rows.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
const base = byId('postmsg')!;
const floorOf = (id: string) => byId(id.replace(/^(weft\.(f64|obj|str)|ring\.batch)\./, 'ring.floor.'));

const targets: { row: string; target: string; need: number; got: number; unit: string; pass: boolean }[] = [];
for (const cap of [10, BIGCAP]) {
  const f = byId(`weft.f64.cap${cap}`);
  if (f) targets.push({ row: f.id, target: 'typed f64 >= 20 M IPs/s', need: 20e6, got: f.median, unit: 'IPs/s', pass: f.median >= 20e6 });
  const o = byId(`weft.obj.cap${cap}`);
  if (o) {
    targets.push({ row: o.id, target: 'small objects >= 3 M IPs/s', need: 3e6, got: o.median, unit: 'IPs/s', pass: o.median >= 3e6 });
    const r = o.median / base.median;
    targets.push({ row: o.id, target: 'small objects >= 8x postMessage per message', need: 8, got: r, unit: '×', pass: r >= 8 });
  }
}

const ms = (x: number | undefined) => (x === undefined ? '' : x.toFixed(0));
output(
  {
    bench: 'cross-worker',
    machine: m,
    params: { F64_N, OBJ_N, MSG_N, MSG_BATCH_N: MSG_N * 2, RING_N, BIGCAP, BATCH, RUNS, MAX_RUN_S, skip: 'N/10', measured: 'in the consumer, IP N/10 → IP N' },
    rows: rows.map((r) => ({ ...r, ratioToPostmsg: r.median / base.median, ratioToFloor: floorOf(r.id) ? r.median / floorOf(r.id)!.median : undefined })),
    targets,
  },
  () =>
    [
      `# cross-worker: one connection between two threads, IPs/s (median of ${RUNS} runs; postmsg: ${base.runs.length} runs pooled)`,
      machineLine(m),
      `params: XW_F64_N=${fmtNum(F64_N)} XW_OBJ_N=${fmtNum(OBJ_N)} XW_MSG_N=${fmtNum(MSG_N)} (batches: ${fmtNum(MSG_N * 2)}) XW_RING_N=${fmtNum(RING_N)} BENCH_RUNS=${RUNS}`,
      'steady state: measured in the consumer from IP N/10 to IP N (excludes worker start-up and the first 10%, while fresh workers compile);',
      'first→last: IP 1 → IP N, same clock; end to end: N / the whole run() call (weft starts fresh workers per run); start-up: run() → first IP at the sink',
      `time box: WORKERS_MAX_RUN_S=${MAX_RUN_S} s per run from its first IP; a run cut short (column "cut") is measured up to the last IP it delivered`,
      '',
      table(
        ['row', '>steady IPs/s', '>min – max', '>ns/IP', '>× postmsg', '>× ring floor', '>first→last', '>end to end', '>start-up ms', '>cut', 'what'],
        rows.map((r) => {
          const f = floorOf(r.id);
          return [
            r.id,
            fmtNum(r.median),
            `${fmtNum(r.min)} – ${fmtNum(r.max)}`,
            (1e9 / r.median).toFixed(0),
            fmtRatio(r.median / base.median),
            f && f !== r ? fmtRatio(r.median / f.median) : '',
            fmtNum(r.firstToLast),
            r.endToEnd === undefined ? '' : fmtNum(r.endToEnd),
            ms(r.startupMs),
            r.cut ? `${r.cut}/${r.runs.length}` : '',
            r.label,
          ];
        }),
      ),
      '',
      'targets (multi-core issue; medians of this run):',
      table(
        ['row', 'target', '>needed', '>measured', 'verdict'],
        targets.map((t) => [t.row, t.target, t.unit === '×' ? `${t.need}×` : fmtNum(t.need), t.unit === '×' ? fmtRatio(t.got) : fmtNum(t.got), t.pass ? 'PASS' : 'MISS']),
      ),
    ].join('\n'),
);
