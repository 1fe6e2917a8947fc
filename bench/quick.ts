import { makeNetwork, Gen, PassNL, PassLooper } from '../test/helpers/net.ts';
import { defineComponent } from '../src/component/define.ts';
import { port } from '../src/component/port.ts';
const N = 2_000_000;
let sum = 0;
const Sink = defineComponent({ inPorts: { in: port.any() }, outPorts: {}, process: { in(ip) { if (ip.kind === 'data') sum = (sum + (ip.data as number)) | 0; } } });
const pass = process.argv[2] === 'L' ? PassLooper : PassNL;
const nodes: any = { g: Gen, s: Sink };
const edges: string[] = [];
let prev = 'g';
for (let i = 0; i < 10; i++) { nodes['p' + i] = pass; edges.push(`${prev}.out -> p${i}.in`); prev = 'p' + i; }
edges.push(`${prev}.out -> s.in`);
const net = makeNetwork({ nodes, edges, iips: [[N, 'g.count']] }, { checked: false });
const t0 = performance.now();
const r = await net.run();
console.log(r.status, (N / ((performance.now() - t0) / 1000) / 1e6).toFixed(2) + 'M');
