/**
 * The pass-through components and the chain graph shared by chain.ts and idle-memory.ts.
 * They are written as a user would write them (see test/helpers/net.ts for the originals).
 */
import { defineComponent } from '../src/component/define.ts';
import { port } from '../src/component/port.ts';
import { emptyGraph, type Graph } from '../src/graph/graph.ts';

/** The payload every benchmark sends. */
export interface Item {
  n: number;
}

/** Non-looper pass-through: called once per IP, forwards it. */
export const PassNL = defineComponent({
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  process: {
    in(ip, { out }) {
      out.send(ip);
    },
  },
});

/** Looper pass-through: a receive/send loop that awaits only when a port operation must wait. */
export const PassLooper = defineComponent({
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  async run({ in: input }, { out }) {
    for (;;) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) return;
      const r = out.send(ip);
      if (r instanceof Promise) await r;
    }
  },
});

/** Network stdout for benchmarks: discards everything. */
export const nullSink = { write: () => true, once: () => undefined };

/**
 * `src.out -> p0.in`, `p0.out -> p1.in`, … `p(boxes-1).out -> sink.in`. The nodes' component
 * names are `src`, `pass` and `sink`: resolve them with `(node) => comps[node.component]`.
 */
export function chainGraph(boxes: number): Graph {
  const g = emptyGraph();
  g.nodes.push({ id: 'src', component: 'src', metadata: {} });
  let prev = 'src';
  for (let i = 0; i <= boxes; i++) {
    const id = i < boxes ? `p${i}` : 'sink';
    g.nodes.push({ id, component: i < boxes ? 'pass' : 'sink', metadata: {} });
    g.edges.push({ from: { node: prev, port: 'out' }, to: { node: id, port: 'in' }, metadata: {} });
    prev = id;
  }
  return g;
}
