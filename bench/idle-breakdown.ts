/**
 * bench/idle-breakdown.ts — Where an idle box's heap goes, by kind of object.
 *
 * bench/idle-memory.ts gives the total per box; this says what it is made of. Method: a chain
 * of IDLE_BOXES pass-through boxes (non-looper, or looper with `--looper`), checked, capacity
 * 10. A heap snapshot before the network is built (the graph data already exists) and one
 * after every box is idle; objects are grouped by heap-snapshot type and constructor name,
 * and each group's growth is divided by the number of boxes. Groups that grew by less than 2
 * bytes per box are left out. With `--one`, one IP crosses the chain first, so every box has
 * been activated once (a looper is then a suspended async function).
 *
 * Run: node --import tsx bench/idle-breakdown.ts [--looper] [--one]   (IDLE_BOXES, default 20,000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import v8 from 'node:v8';
import { defineComponent, type Component } from '../src/component/define.ts';
import { port } from '../src/component/port.ts';
import { buildNetwork } from '../src/network/build.ts';
import { Network } from '../src/network/network.ts';
import { chainGraph, nullSink, PassLooper, PassNL } from './_boxes.ts';
import { envInt, machineLine, machine } from './_util.ts';

const B = envInt('IDLE_BOXES', 20_000);
const looper = process.argv.includes('--looper');
const one = process.argv.includes('--one');

let release: (() => void) | null = null;
const Source = defineComponent({
  inPorts: {},
  outPorts: { out: port.object<{ n: number }>() },
  async run(_ins, { out }) {
    if (one) {
      const r = out.emit({ n: 1 });
      if (r instanceof Promise) await r;
    }
    await new Promise<void>((res) => (release = res));
  },
});
const Sink = defineComponent({ inPorts: { in: port.object<{ n: number }>() }, outPorts: {}, process: { in() {} } });

/** Count and bytes per "type:constructor" in a heap snapshot file. */
function groups(file: string): Map<string, [number, number]> {
  const s = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.unlinkSync(file);
  const fields: string[] = s.snapshot.meta.node_fields;
  const types: string[] = s.snapshot.meta.node_types[0];
  const nf = fields.length;
  const ti = fields.indexOf('type');
  const ni = fields.indexOf('name');
  const si = fields.indexOf('self_size');
  const out = new Map<string, [number, number]>();
  const nodes: number[] = s.nodes;
  for (let i = 0; i < nodes.length; i += nf) {
    const key = `${types[nodes[i + ti]]}:${String(s.strings[nodes[i + ni]]).slice(0, 40)}`;
    const g = out.get(key) ?? [0, 0];
    g[0]++;
    g[1] += nodes[i + si];
    out.set(key, g);
  }
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weft-heap-'));
const comps: Record<string, Component> = { src: Source, pass: looper ? PassLooper : PassNL, sink: Sink };
const graph = chainGraph(B);
// Both snapshots are taken before either is read: what reading one makes would count in the other.
const beforeFile = v8.writeHeapSnapshot(path.join(dir, 'before.heapsnapshot'));
const net = new Network(buildNetwork(graph, (node) => comps[node.component], { stdout: nullSink }));
const done = net.run();
for (;;) {
  const a = net.activity();
  if (a.blocked === B + 1 && a.active === 1) break;
  await tick();
}
if (one) for (let i = 0; i < 20; i++) await tick(); // let the last resumptions settle
const afterFile = v8.writeHeapSnapshot(path.join(dir, 'after.heapsnapshot'));
const before = groups(beforeFile);
const after = groups(afterFile);
fs.rmdirSync(dir);

const rows: [string, number, number][] = [];
for (const [key, [count, bytes]] of after) {
  const [c0, b0] = before.get(key) ?? [0, 0];
  if (bytes - b0 > 2 * B) rows.push([key, (count - c0) / B, (bytes - b0) / B]);
}
rows.sort((x, y) => y[2] - x[2]);
console.log(machineLine(machine()));
console.log(`${B} ${looper ? 'looper' : 'non-looper'} pass-through boxes, idle${one ? ' after one IP' : ', never activated'} (checked, capacity 10)`);
console.log(`${'bytes/box'.padStart(9)} ${'objs/box'.padStart(8)}  type:constructor`);
let total = 0;
for (const [key, count, bytes] of rows) {
  total += bytes;
  console.log(`${bytes.toFixed(1).padStart(9)} ${count.toFixed(2).padStart(8)}  ${key}`);
}
console.log(`${total.toFixed(1).padStart(9)}           total`);
release!();
await done;
