/**
 * bench/idle-memory.ts — What does an idle box cost in heap, how long does a 100,000-box network
 * take to build and start, and how fast does one IP cross it?
 *
 * Method, once for non-looper and once for looper pass-through boxes (checked mode, default
 * capacity 10), in one process (run with --expose-gc):
 *   1. Warm the code with a full cycle on a 1,000-box chain (so that compiled code is not
 *      counted as per-box heap).
 *   2. heapUsed after gc() (h0); build the graph data (src → p0 … p(B-1) → sink) and gc() again
 *      (h1): graph bytes per node = (h1 - h0) / B. The graph stays referenced until the end, so
 *      the figures below exclude it.
 *   3. buildNetwork + Network.run(), then wait until every box is idle (all BLOCKED but the
 *      source, a looper that awaits a promise this script controls): build ms and start ms.
 *      gc() (h2): heap per box, started but never activated = (h2 - h1) / B.
 *   4. Let the source send one `{n}` IP; time until the sink sees it (the first traversal
 *      activates every box once); wait until idle; gc() (h3): heap per box idle after an
 *      activation = (h3 - h1) / B. A looper is then a suspended async function waiting in
 *      `input.receive()`; a non-looper is only its Box.
 *   5. BENCH_RUNS more IPs one at a time, each timed through the chain (median): hops/s.
 *   6. Let the source return: the end of stream ripples through the chain and run() resolves
 *      'finished' (shutdown ms); the network is dropped and gc() runs before the next kind.
 * Per-box figures divide by B, the pass-through boxes; the source and sink add 2 boxes.
 * Reference, not measured here (peers-bench RESULTS.md): NoFlo 1.5.2 5,071 B per component
 * (chain of 10,000); a suspended async function 424–648 B; a suspended generator 160 B.
 *
 * Parameters (environment): IDLE_BOXES (default 100,000), BENCH_RUNS (5). Flags: --json.
 * Run: node --expose-gc --import tsx bench/idle-memory.ts
 */
import { setImmediate as tick } from 'node:timers/promises';
import { defineComponent, type Component } from '../src/component/define.ts';
import { port } from '../src/component/port.ts';
import { buildNetwork } from '../src/network/build.ts';
import { Network } from '../src/network/network.ts';
import { chainGraph, nullSink, PassLooper, PassNL, type Item } from './_boxes.ts';
import { envInt, fmtNum, log, machine, machineLine, median, now, output, RUNS, table } from './_util.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (typeof gc !== 'function') throw new Error('run with node --expose-gc --import tsx bench/idle-memory.ts');
const B = envInt('IDLE_BOXES', 100_000);

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

// ---- components ----------------------------------------------------------------------------
/** The source's gate: next() waits until send(n) (an IP to emit) or finish() (return). */
class Gate {
  private release: ((v: number | null) => void) | null = null;
  private pending: (number | null)[] = [];
  next(): Promise<number | null> {
    const v = this.pending.shift();
    if (v !== undefined) return Promise.resolve(v);
    return new Promise((res) => (this.release = res));
  }
  private give(v: number | null): void {
    const r = this.release;
    this.release = null;
    if (r) r(v);
    else this.pending.push(v);
  }
  send(n: number): void {
    this.give(n);
  }
  finish(): void {
    this.give(null);
  }
}

let gate = new Gate();
let arrived: ((t: number) => void) | null = null;

const Source = defineComponent({
  inPorts: {},
  outPorts: { out: port.object<Item>() },
  async run(_ins, { out }) {
    for (;;) {
      const n = await gate.next();
      if (n === null) return;
      let r = out.emit({ n });
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
      const t = now();
      if (ip.kind === 'data' && arrived !== null) arrived(t);
    },
  },
});
/** Resolve once every box but the source (waiting on the gate) is BLOCKED. */
async function idle(net: Network, boxes: number): Promise<void> {
  for (;;) {
    const a = net.activity();
    if (a.blocked === boxes + 1 && a.active === 1) return;
    await tick();
  }
}

/** Send one IP and time it from the source's release to the sink. */
async function traverse(n: number): Promise<number> {
  const seen = new Promise<number>((res) => (arrived = res));
  const t0 = now();
  gate.send(n);
  const t1 = await seen;
  arrived = null;
  return t1 - t0;
}

interface KindResult {
  kind: string;
  boxes: number;
  graphBytesPerNode: number;
  buildMs: number;
  startMs: number;
  bytesPerBoxStarted: number;
  bytesPerBoxIdle: number;
  firstTraversalMs: number;
  traversalMs: number[];
  traversalMsMedian: number;
  hopsPerSec: number;
  shutdownMs: number;
}

async function cycle(kind: string, pass: Component, boxes: number, measure: boolean): Promise<KindResult> {
  gate = new Gate();
  const h0 = measure ? heap() : 0;
  const graph = chainGraph(boxes);
  const h1 = measure ? heap() : 0;
  const comps: Record<string, Component> = { src: Source, pass, sink: Sink };
  const t0 = now();
  let net: Network | null = new Network(buildNetwork(graph, (node) => comps[node.component], { stdout: nullSink }));
  const t1 = now();
  const done = net.run();
  await idle(net, boxes);
  const t2 = now();
  const h2 = measure ? heap() : 0;
  const first = await traverse(0);
  await idle(net, boxes);
  const h3 = measure ? heap() : 0;
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    runs.push(await traverse(r + 1));
    await idle(net, boxes);
  }
  const t3 = now();
  gate.finish();
  const result = await done;
  const t4 = now();
  if (result.status !== 'finished') throw new Error(`${kind}: ${result.status} ${result.failure?.message ?? ''}`);
  const moved = result.stats.boxes.find((b) => b.box === 'sink')?.ipsIn;
  if (moved !== RUNS + 1) throw new Error(`${kind}: the sink received ${moved} IPs, expected ${RUNS + 1}`);
  net = null;
  if (graph.nodes.length !== boxes + 2) throw new Error('graph'); // keeps the graph alive until here
  const med = median(runs);
  return {
    kind,
    boxes,
    graphBytesPerNode: (h1 - h0) / boxes,
    buildMs: t1 - t0,
    startMs: t2 - t1,
    bytesPerBoxStarted: (h2 - h1) / boxes,
    bytesPerBoxIdle: (h3 - h1) / boxes,
    firstTraversalMs: first,
    traversalMs: runs,
    traversalMsMedian: med,
    hopsPerSec: (boxes + 1) / (med / 1000),
    shutdownMs: t4 - t3,
  };
}

const m = machine();
console.error(machineLine(m));
log(`IDLE_BOXES=${B} BENCH_RUNS=${RUNS}`);
const results: KindResult[] = [];
for (const [kind, pass] of [['non-looper', PassNL], ['looper', PassLooper]] as const) {
  await cycle(kind, pass, 1000, false); // warm-up
  const r = await cycle(kind, pass, B, true);
  log(kind, JSON.stringify(r));
  results.push(r);
  heap();
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
output({ bench: 'idle-memory', machine: m, params: { IDLE_BOXES: B, RUNS, capacity: 10, checked: true }, results }, () =>
  [
    `# idle-memory: ${fmtNum(B)} pass-through boxes in one chain (checked, capacity 10)`,
    machineLine(m),
    `params: IDLE_BOXES=${fmtNum(B)} BENCH_RUNS=${RUNS} (IPs timed one at a time after the first)`,
    '',
    table(
      ['kind', '>heap/box idle, never activated', '>heap/box idle after 1 IP', '>graph data/node', '>build ms', '>start→idle ms', '>1st IP through ms', '>next IPs ms (median)', '>hops/s', '>shutdown ms'],
      results.map((r) => [
        r.kind,
        `${fmtNum(r.bytesPerBoxStarted)} B`,
        `${fmtNum(r.bytesPerBoxIdle)} B`,
        `${fmtNum(r.graphBytesPerNode)} B`,
        ms(r.buildMs),
        ms(r.startMs),
        ms(r.firstTraversalMs),
        `${ms(r.traversalMsMedian)} (${r.traversalMs.map(ms).join(', ')})`,
        fmtNum(r.hopsPerSec),
        ms(r.shutdownMs),
      ]),
    ),
    '',
    'reference (peers-bench RESULTS.md, not this run): NoFlo 1.5.2 5,071 B per component at 10,000 and ~400 hops/s through them;',
    'a suspended async function 424–648 B, a suspended generator 160 B.',
  ].join('\n'),
);

// Everything has finished; if anything still holds the event loop, say so instead of hanging.
setTimeout(() => {
  console.error('idle-memory: the process did not exit by itself (something still holds the event loop)');
  process.exit(2);
}, 10_000).unref();
