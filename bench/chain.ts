/**
 * bench/chain.ts — How many IPs per second does weft move through a chain of 10 pass-through
 * boxes, compared with the plain-JS floor, Node object-mode streams and NoFlo, in the same run?
 *
 * Method (after /work/shared/peers-bench 01, 02 and 03; in this order):
 *   floor (start)  plain JS as peers-bench 01-plain-js.mjs: 10 DISTINCT closures held in an
 *                  array and called in a loop, a fresh `{n: i}` per IP, an int32 checksum of
 *                  the last hop's result. THE BASELINE: every ratio divides by it. It is
 *                  measured at the start, in the middle and at the end (3 warm-ups then
 *                  max(BENCH_RUNS, 9) runs each) and the runs are pooled, because the machine
 *                  is noisy (peers-bench RESULTS.md note 1).
 *   weft rows      in child processes, one per row (below).
 *                  source → 10 pass-through boxes → sink, built from code with buildNetwork,
 *                  one fresh network per run (build not timed; timed from run() to its
 *                  'finished' outcome). The source is a looper that emits N `{n: i}` objects
 *                  (N from an IIP); the sink is a non-looper that counts and checksums
 *                  `ip.data.n`. The 10 boxes are one component used 10 times: PassNL
 *                  (non-looper, `out.send(ip)`) or PassLooper (receive/send loop, awaiting only
 *                  when a port operation returns a Promise). Variants: checked (default) and
 *                  unchecked (`checked: false`); `timing: true`; capacity 64 (info); budget 256
 *                  and 4096 via BuildOptions.budget (info; the default is 1000).
 *   floor (middle)
 *   streams        stream.pipeline(Readable, 10 × Transform, Writable), objectMode, default
 *                  highWaterMark (16), as peers-bench 03.
 *   NoFlo 1.5.2    10 Process-API pass-through components wired with fbp-graph, default
 *                  (synchronous) delivery, IPs posted into P0.in and counted at P9.out, as
 *                  peers-bench 02. Smaller N (NOFLO_N).
 *   floor (end)
 * Every row but the floor: one discarded warm-up run (N/10), then the median of BENCH_RUNS runs.
 * Each weft row runs in its own child process, as `weft run` runs one network per process:
 * what V8 compiles depends on what the process ran before. The packet classes of both
 * ownership modes in one process make the runtime's call sites polymorphic (measured:
 * unchecked 6.2 M IPs/s after the checked rows in one process, 8.4 M alone), and a variant
 * that takes another path (timing on: no direct delivery) leaves the code compiled for that
 * path (measured: checked non-looper 6.2 M after the other checked variants, 7.0 M alone).
 * One more child, `mixed`, measures the two non-looper rows the old way, after every variant
 * of both modes (info rows `*.mixed`). Each child measures the floor too, first (3 warm-ups,
 * FLOOR_RUNS runs), and those runs join the pooled baseline: every ratio divides by runs
 * from the parent and every child.
 * Every run checks the count and the checksum and throws if either is wrong.
 * Ratios and the targets use medians from this run only.
 *
 * Parameters (environment): CHAIN_N (default 1,000,000 IPs per run), NOFLO_N (100,000),
 * BENCH_RUNS (5), CHAIN_ONLY (comma-separated row ids, `weft.nl*` for a prefix, to run a subset;
 * the floor always runs). Flags: --json.
 * Run: node --import tsx bench/chain.ts
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineComponent, type Component } from '../src/component/define.ts';
import { port } from '../src/component/port.ts';
import { buildNetwork, type BuildOptions } from '../src/network/build.ts';
import { Network } from '../src/network/network.ts';
import { chainGraph, nullSink, PassLooper, PassNL, type Item } from './_boxes.ts';
import { ringRun } from './_ring.ts';
import { envInt, fmtNum, fmtRatio, log, machine, machineLine, now, output, RUNS, stats, table, type Stats } from './_util.ts';

const N = envInt('CHAIN_N', 1_000_000);
const NOFLO_N = envInt('NOFLO_N', 100_000);
const HOPS = 10;
const FLOOR_RUNS = Math.max(RUNS, 9);
const ONLY = (process.env.CHAIN_ONLY ?? '').split(',').filter(Boolean);
/** CHAIN_ONLY entries name a row exactly, or a prefix when they end in `*`. */
const selected = (id: string) => ONLY.length === 0 || ONLY.some((p) => (p.endsWith('*') ? id.startsWith(p.slice(0, -1)) : id === p));

/** The int32-wrapping checksum of 0..n-1, computed as every sink does. */
const sums = new Map<number, number>();
function checksum(n: number): number {
  let s = sums.get(n);
  if (s === undefined) {
    s = 0;
    for (let i = 0; i < n; i++) s = (s + i) | 0;
    sums.set(n, s);
  }
  return s;
}
function verify(what: string, n: number, got: number, sum: number): void {
  if (got !== n || sum !== checksum(n)) throw new Error(`${what}: got ${got} IPs, checksum ${sum}; expected ${n}, ${checksum(n)}`);
}

// ---- (a) plain-JS floor, exactly as peers-bench 01 ------------------------------------------
const f0 = (x: Item) => x, f1 = (x: Item) => x, f2 = (x: Item) => x, f3 = (x: Item) => x, f4 = (x: Item) => x;
const f5 = (x: Item) => x, f6 = (x: Item) => x, f7 = (x: Item) => x, f8 = (x: Item) => x, f9 = (x: Item) => x;
const fns = [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9];

function floorOnce(n: number): number {
  let sink = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) {
    let x: Item = { n: i };
    for (let h = 0; h < HOPS; h++) x = fns[h](x);
    sink = (sink + x.n) | 0;
  }
  const dt = now() - t0;
  verify('floor', n, n, sink);
  return n / (dt / 1000);
}
const floorRuns: number[] = [];
function floorSegment(where: string): void {
  for (let w = 0; w < 3; w++) floorOnce(N);
  const rs: number[] = [];
  for (let r = 0; r < FLOOR_RUNS; r++) rs.push(floorOnce(N));
  log(`floor (${where})`, rs.map((x) => fmtNum(x)).join(' '));
  floorRuns.push(...rs);
}

// ---- (b, c, d) weft ------------------------------------------------------------------------
let got = 0, sum = 0;
const Source = defineComponent({
  inPorts: { count: port.number() },
  outPorts: { out: port.object<Item>() },
  async run({ count }, { out }, ctx) {
    let ip = count.receive();
    if (ip instanceof Promise) ip = await ip;
    if (ip === null || ip.kind !== 'data') throw new Error('source: no count');
    const n = ip.data;
    ctx.drop(ip);
    for (let i = 0; i < n; i++) {
      let r = out.emit({ n: i });
      if (r instanceof Promise) r = await r;
      if (!r) throw new Error('source: the chain closed early');
    }
  },
});
const Sink = defineComponent({
  inPorts: { in: port.object<Item>() },
  outPorts: {},
  process: {
    in(ip) {
      if (ip.kind === 'data') {
        sum = (sum + ip.data.n) | 0;
        got++;
      }
    },
  },
});

function chainNetwork(pass: Component, n: number, opts: BuildOptions): Network {
  const g = chainGraph(HOPS);
  g.iips.push({ data: n, fromText: false, to: { node: 'src', port: 'count' }, metadata: {} });
  const comps: Record<string, Component> = { src: Source, pass, sink: Sink };
  return new Network(buildNetwork(g, (node) => comps[node.component], { stdout: nullSink, ...opts }));
}

function weftRun(pass: Component, opts: BuildOptions) {
  return async (n: number): Promise<number> => {
    const net = chainNetwork(pass, n, opts);
    got = sum = 0;
    const t0 = now();
    const result = await net.run();
    const dt = now() - t0;
    if (result.status !== 'finished') throw new Error(`weft: ${result.status}: ${result.failure?.message ?? ''}`);
    verify('weft', n, got, sum);
    return n / (dt / 1000);
  };
}

// ---- (e) Node object-mode streams, as peers-bench 03 ---------------------------------------
async function streamsRun(n: number): Promise<number> {
  let i = 0, s = 0, c = 0;
  const src = new Readable({
    objectMode: true,
    read() {
      while (i < n) if (!this.push({ n: i++ })) return;
      this.push(null);
    },
  });
  const ts: Transform[] = [];
  for (let h = 0; h < HOPS; h++) ts.push(new Transform({ objectMode: true, transform: (chunk, _e, cb) => cb(null, chunk) }));
  const dst = new Writable({ objectMode: true, write: (x: Item, _e, cb) => ((s = (s + x.n) | 0), c++, cb()) });
  const t0 = now();
  await pipeline(src, ts[0], ...ts.slice(1), dst);
  const dt = now() - t0;
  verify('streams', n, c, s);
  return n / (dt / 1000);
}

// ---- (f) NoFlo 1.5.2, driven as peers-bench 02 ---------------------------------------------
async function nofloRunner(): Promise<{ run: (n: number) => Promise<number>; close: () => Promise<void>; version: string }> {
  const require = createRequire(import.meta.url);
  const noflo = require('noflo');
  const { Graph } = require('fbp-graph');
  // noflo does not export ./package.json: find it above the entry file.
  let dir = path.dirname(require.resolve('noflo'));
  while (!fs.existsSync(path.join(dir, 'package.json')) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  const version: string = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  // An empty project directory, so that the loader's discovery finds nothing.
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-bench-noflo-'));
  fs.writeFileSync(path.join(base, 'package.json'), '{"name":"empty","version":"0.0.0"}');
  const loader = new noflo.ComponentLoader(base, { cache: false, discover: false });
  await loader.listComponents();
  loader.registerComponent('bench', 'Pass', () => {
    const c = new noflo.Component({ inPorts: { in: { datatype: 'all' } }, outPorts: { out: { datatype: 'all' } } });
    return c.process((input: any, output: any) => output.sendDone({ out: input.getData('in') }));
  });
  const g = new Graph('chain');
  for (let h = 0; h < HOPS; h++) {
    g.addNode(`P${h}`, 'bench/Pass');
    if (h > 0) g.addEdge(`P${h - 1}`, 'out', `P${h}`, 'in');
  }
  const net = await noflo.createNetwork(g, { componentLoader: loader, baseDir: base });
  const inS = noflo.internalSocket.createSocket();
  const outS = noflo.internalSocket.createSocket();
  net.getNode('P0').component.inPorts.in.attach(inS);
  net.getNode(`P${HOPS - 1}`).component.outPorts.out.attach(outS);
  let c = 0, s = 0, target = 0;
  let done: (() => void) | null = null;
  outS.on('ip', (ip: any) => {
    if (ip.type !== 'data') return;
    c++;
    s = (s + ip.data.n) | 0;
    if (c === target && done) done();
  });
  const run = async (n: number) => {
    c = s = 0;
    target = n;
    const fin = new Promise<void>((res) => (done = res));
    const t0 = now();
    for (let i = 0; i < n; i++) inS.post(new noflo.IP('data', { n: i }));
    await fin;
    const dt = now() - t0;
    verify('noflo', n, c, s);
    return n / (dt / 1000);
  };
  const close = async () => {
    await net.stop();
    fs.rmSync(base, { recursive: true, force: true });
  };
  return { run, close, version };
}

// ---- the run -------------------------------------------------------------------------------
interface Row extends Stats { id: string; label: string; n: number; ratio: number }
const rows: Row[] = [];

/** The weft rows: id, label, pass-through component, options; checked or unchecked mode. */
const W: [string, string, Component, BuildOptions][] = [
  ['weft.nl', 'weft non-looper, checked (default), cap 10', PassNL, {}],
  ['weft.nl.unchecked', 'weft non-looper, unchecked, cap 10', PassNL, { checked: false }],
  ['weft.looper', 'weft looper, checked (default), cap 10', PassLooper, {}],
  ['weft.looper.unchecked', 'weft looper, unchecked, cap 10', PassLooper, { checked: false }],
  ['weft.nl.timing', 'weft non-looper, checked, timing: true', PassNL, { timing: true }],
  ['weft.nl.cap64', '(info) weft non-looper, checked, cap 64', PassNL, { capacity: 64 }],
  ['weft.nl.unchecked.cap64', '(info) weft non-looper, unchecked, cap 64', PassNL, { checked: false, capacity: 64 }],
  ['weft.looper.cap64', '(info) weft looper, checked, cap 64', PassLooper, { capacity: 64 }],
  ['weft.looper.unchecked.cap64', '(info) weft looper, unchecked, cap 64', PassLooper, { checked: false, capacity: 64 }],
  ['weft.nl.budget256', '(info) weft non-looper, checked, budget 256', PassNL, { budget: 256 }],
  ['weft.nl.budget4096', '(info) weft non-looper, checked, budget 4096', PassNL, { budget: 4096 }],
];
/** The `mixed` child measures the two non-looper rows after every variant (info rows). */
const MIXED: Record<string, string> = { 'weft.nl': 'weft.nl.mixed', 'weft.nl.unchecked': 'weft.nl.unchecked.mixed' };

/** Child process: one row (its id), or `mixed`; the rows it measured go out as JSON. */
async function child(which: string): Promise<void> {
  // The baseline in this process too, before any weft code ran; pooled with the others.
  floorSegment(`child ${which}`);
  if (which === 'mixed') {
    for (const [, , pass, opts] of W) await weftRun(pass, opts)(Math.floor(N / 10));
    for (const [id, label, pass, opts] of W) {
      if (MIXED[id] && selected(MIXED[id])) await measure(MIXED[id], `(info) ${label}, in one process after every variant of both modes`, N, weftRun(pass, opts));
    }
  } else {
    const [id, label, pass, opts] = W.find(([i]) => i === which)!;
    await measure(id, label, N, weftRun(pass, opts));
  }
  console.log(`ROWS ${JSON.stringify({ rows, floorRuns })}`);
}

/** Run one child (same node flags, same environment) and take its rows. */
function runChild(which: string): void {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', which], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('ROWS '));
  if (r.status !== 0 || !line) throw new Error(`bench child ${which} failed (exit ${r.status})`);
  const got = JSON.parse(line.slice(5)) as { rows: Row[]; floorRuns: number[] };
  rows.push(...got.rows);
  floorRuns.push(...got.floorRuns);
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const which = process.argv[childAt + 1];
  if (which !== 'mixed' && !W.some(([id]) => id === which)) throw new Error(`--child: a weft row id or mixed`);
  await child(which);
  process.exit(0);
}

async function measure(id: string, label: string, n: number, fn: (n: number) => number | Promise<number>): Promise<void> {
  if (!selected(id)) return;
  await fn(Math.max(1000, Math.floor(n / 10))); // warm-up, discarded
  const rs: number[] = [];
  for (let r = 0; r < RUNS; r++) rs.push(await fn(n));
  log(id, rs.map((x) => fmtNum(x)).join(' '));
  rows.push({ id, label, n, ...stats(rs), ratio: 0 });
}

const m = machine();
console.error(machineLine(m));
log(`N=${N} NOFLO_N=${NOFLO_N} BENCH_RUNS=${RUNS} floor runs=${FLOOR_RUNS} per segment`);

floorSegment('start');
await measure('ring', '(info) bare ring pipeline: 10 stages, capacity 10, no scheduler (bench/_ring.ts)', N, ringRun(HOPS));
for (const [id] of W) if (selected(id)) runChild(id);
if (Object.values(MIXED).some(selected)) runChild('mixed');
floorSegment('middle');
await measure('streams', 'Node object-mode streams: Readable → 10 Transform → Writable (hwm 16)', N, streamsRun);
let nofloVersion = '?';
if (selected('noflo')) {
  let nf: Awaited<ReturnType<typeof nofloRunner>> | null = await nofloRunner();
  nofloVersion = nf.version;
  await measure('noflo', `NoFlo ${nf.version}: 10 Process-API components, sync delivery`, NOFLO_N, nf.run);
  await nf.close();
  nf = null; // let the NoFlo network be collected before the last floor segment
}
floorSegment('end');

const floor: Row = { id: 'floor', label: 'plain JS: 10 distinct closures via array (BASELINE)', n: N, ...stats(floorRuns), ratio: 1 };
for (const r of rows) r.ratio = r.median / floor.median;
const all = [floor, ...rows];
const byId = (id: string) => rows.find((r) => r.id === id);

// The targets, judged on medians from this run.
const targets: { row: string; target: string; need: number; got: number; pass: boolean }[] = [];
for (const [id, floorNeed] of [['weft.nl', 0.5], ['weft.nl.unchecked', 0.5], ['weft.looper', 0.3], ['weft.looper.unchecked', 0.3]] as const) {
  const r = byId(id);
  if (!r) continue;
  const add = (target: string, need: number, got: number) => targets.push({ row: id, target, need, got, pass: got >= need });
  add('>= floor ×', floorNeed, r.ratio);
  const nf = byId('noflo');
  if (nf) add('>= NoFlo ×', 100, r.median / nf.median);
  const st = byId('streams');
  if (st) add('>= streams ×', 5, r.median / st.median);
}

/** What the checks and the timing statistics cost, as a share of the rate without them. */
function costs(): string[] {
  const pairs: [string, string, string][] = [
    ['ownership checks, non-looper', 'weft.nl', 'weft.nl.unchecked'],
    ['ownership checks, looper', 'weft.looper', 'weft.looper.unchecked'],
    ['timing: true, non-looper (checked)', 'weft.nl.timing', 'weft.nl'],
  ];
  return pairs.flatMap(([what, withIt, without]) => {
    const [a, b] = [byId(withIt), byId(without)];
    return a && b ? [`cost of ${what}: ${((1 - a.median / b.median) * 100).toFixed(0)}% of the rate (${withIt} vs ${without})`] : [];
  });
}

output(
  { bench: 'chain', machine: m, params: { N, NOFLO_N, HOPS, RUNS, FLOOR_RUNS, floorRunsPooled: floorRuns.length, noflo: nofloVersion, item: '{n: i} objects' }, rows: all, targets },
  () =>
    [
      `# chain: IPs/s through 10 pass-through boxes (median of ${RUNS} runs; floor: ${floorRuns.length} runs pooled from start, middle, end and each child)`,
      machineLine(m),
      `params: CHAIN_N=${fmtNum(N)} NOFLO_N=${fmtNum(NOFLO_N)} BENCH_RUNS=${RUNS}; IPs are {n: i} objects; weft default capacity 10, budget 1000`,
      '',
      table(
        ['row', '>median IPs/s', '>min – max', '>ns/IP', '>ratio to floor', 'what'],
        all.map((r) => [r.id, fmtNum(r.median), `${fmtNum(r.min)} – ${fmtNum(r.max)}`, (1e9 / r.median).toFixed(0), fmtRatio(r.ratio), r.label]),
      ),
      '',
      ...costs(),
      '',
      'targets (from the issue; medians of this run):',
      table(
        ['row', 'target', '>needed', '>measured', 'verdict'],
        targets.map((t) => [t.row, t.target, String(t.need), fmtRatio(t.got), t.pass ? 'PASS' : 'MISS']),
      ),
    ].join('\n'),
);
