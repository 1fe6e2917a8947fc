/**
 * bench/hop-cost.ts — What does one non-looper hop cost, and what would the same nesting cost
 * without a runtime? An analysis aid for chain.ts, not a comparison with peers.
 *
 * In one process, one ownership mode (HOP_CHECKED=1 for checked; default unchecked):
 *   floor      plain JS as chain.ts (10 distinct closures via array, a fresh `{n: i}` per IP);
 *   model      the nesting of direct delivery reduced to its bones: an object per box with a
 *              state field and a counter, a handler calling the next box's `send`, which runs
 *              the next handler at once; 10 boxes and a sink, a fresh `{n: i}` per IP;
 *   weft.K     the test helpers' looper source (numbers) → K PassNL boxes → a non-looper
 *              sink, K = 0, 1, 5, 10, 20 (HOP_COUNTS); the slope between K values is the cost
 *              of a hop, the rate at K = 0 the source and the sink.
 * Medians of BENCH_RUNS runs after one warm-up; N from HOP_N (1,000,000).
 * Run: node --import tsx bench/hop-cost.ts
 */
import { Gen, PassNL, makeNetwork } from '../test/helpers/net.ts';
import { defineComponent } from '../src/component/define.ts';
import { port } from '../src/component/port.ts';
import { envInt, fmtNum, log, machine, machineLine, median, now, output, RUNS, table } from './_util.ts';

const N = envInt('HOP_N', 1_000_000);
const CHECKED = process.env.HOP_CHECKED === '1';
const COUNTS = (process.env.HOP_COUNTS ?? '0,1,5,10,20').split(',').map(Number);

// ---- floor, as chain.ts -----------------------------------------------------------------------
interface Item {
  n: number;
}
const f0 = (x: Item) => x, f1 = (x: Item) => x, f2 = (x: Item) => x, f3 = (x: Item) => x, f4 = (x: Item) => x;
const f5 = (x: Item) => x, f6 = (x: Item) => x, f7 = (x: Item) => x, f8 = (x: Item) => x, f9 = (x: Item) => x;
const fns = [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9];
let expected = 0;
for (let i = 0; i < N; i++) expected = (expected + i) | 0;
function floorOnce(): number {
  let sink = 0;
  const t0 = now();
  for (let i = 0; i < N; i++) {
    let x: Item = { n: i };
    for (let h = 0; h < 10; h++) x = fns[h](x);
    sink = (sink + x.n) | 0;
  }
  const dt = now() - t0;
  if (sink !== expected) throw new Error('floor: bad checksum');
  return N / (dt / 1000);
}

// ---- model ------------------------------------------------------------------------------------
const IDLE = 1;
const BUSY = 2;
class MBox {
  state = IDLE;
  handed = 0;
  view: { out: MOut } = { out: null as never };
  handler: (ip: Item, view: { out: MOut }) => void = () => {};
}
class MOut {
  to: MBox | null = null;
  send(ip: Item): boolean {
    const b = this.to!;
    if (b.state !== IDLE) throw new Error('model: re-entered');
    b.state = BUSY;
    b.handed++;
    b.handler(ip, b.view);
    b.state = IDLE;
    return true;
  }
}
let modelSum = 0;
const modelBoxes: MBox[] = [];
for (let i = 0; i <= 10; i++) {
  const b = new MBox();
  b.handler = i < 10 ? (ip, v) => void v.out.send(ip) : (ip) => void (modelSum = (modelSum + ip.n) | 0);
  b.view = { out: new MOut() };
  modelBoxes.push(b);
}
for (let i = 0; i < 10; i++) modelBoxes[i].view.out.to = modelBoxes[i + 1];
const modelHead = new MOut();
modelHead.to = modelBoxes[0];
function modelOnce(): number {
  modelSum = 0;
  const t0 = now();
  for (let i = 0; i < N; i++) modelHead.send({ n: i });
  const dt = now() - t0;
  if (modelSum !== expected) throw new Error('model: bad checksum');
  return N / (dt / 1000);
}

// ---- weft -------------------------------------------------------------------------------------
let got = 0;
const Sink = defineComponent({
  inPorts: { in: port.any() },
  outPorts: {},
  process: {
    in(ip) {
      if (ip.kind === 'data') got++;
    },
  },
});
async function weftOnce(k: number, n = N): Promise<number> {
  const nodes: Record<string, unknown> = { g: Gen, s: Sink };
  const edges: string[] = [];
  let prev = 'g';
  for (let i = 0; i < k; i++) {
    nodes[`p${i}`] = PassNL;
    edges.push(`${prev}.out -> p${i}.in`);
    prev = `p${i}`;
  }
  edges.push(`${prev}.out -> s.in`);
  const net = makeNetwork({ nodes: nodes as never, edges, iips: [[n, 'g.count']] }, { checked: CHECKED });
  got = 0;
  const t0 = now();
  const r = await net.run();
  const dt = now() - t0;
  if (r.status !== 'finished' || got !== n) throw new Error(`weft ${k}: ${r.status}, ${got} of ${n} IPs`);
  return n / (dt / 1000);
}

// ---- run --------------------------------------------------------------------------------------
const m = machine();
console.error(machineLine(m));
const rows: { id: string; median: number; runs: number[] }[] = [];
async function measure(id: string, fn: () => number | Promise<number>): Promise<void> {
  await fn();
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await fn());
  log(id, runs.map((x) => fmtNum(x)).join(' '));
  rows.push({ id, median: median(runs), runs });
}
await measure('floor', floorOnce);
await measure('model', modelOnce);
for (const k of COUNTS) await measure(`weft.${k}`, () => weftOnce(k));

const ns = (r: { median: number }) => 1e9 / r.median;
const weft = rows.filter((r) => r.id.startsWith('weft.'));
output({ bench: 'hop-cost', machine: m, params: { N, RUNS, checked: CHECKED, counts: COUNTS }, rows }, () =>
  [
    `# hop-cost: one process, ${CHECKED ? 'checked' : 'unchecked'}, N=${fmtNum(N)}, medians of ${RUNS}`,
    machineLine(m),
    '',
    table(
      ['row', '>median IPs/s', '>ns/IP', '>ns per hop (vs the row above)'],
      rows.map((r, i) => {
        const k = r.id.startsWith('weft.') ? Number(r.id.slice(5)) : NaN;
        const prev = weft[weft.indexOf(r) - 1];
        const perHop = prev ? ((ns(r) - ns(prev)) / (k - Number(prev.id.slice(5)))).toFixed(1) : i === 1 ? (ns(r) / 11).toFixed(1) : '';
        return [r.id, fmtNum(r.median), ns(r).toFixed(0), perHop];
      }),
    ),
  ].join('\n'),
);
