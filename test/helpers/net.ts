/**
 * Test helpers: build and run small networks from code without the loaders, and a few
 * components that collect what they receive.
 */
import { defineComponent, type Component } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { buildNetwork, type BuildOptions } from '../../src/network/build.ts';
import { Network } from '../../src/network/network.ts';
import type { Graph } from '../../src/graph/graph.ts';
import { emptyGraph } from '../../src/graph/graph.ts';

export interface NetSpec {
  nodes: Record<string, Component>;
  /** `A.out -> B.in`, `A.out[1] -> B.in`, capacity with `A.out -(3)-> B.in`. */
  edges?: string[];
  /** `value -> B.port` given as [value, 'B.port']. */
  iips?: [unknown, string][];
}

function ref(s: string) {
  const m = /^([\w.]+)\.(\w+)(?:\[(\d+)\])?$/.exec(s.trim());
  if (!m) throw new Error(`bad port ref ${s}`);
  return { node: m[1], port: m[2], index: m[3] === undefined ? undefined : Number(m[3]) };
}

export function graphOf(spec: NetSpec): Graph {
  const g = emptyGraph();
  for (const id of Object.keys(spec.nodes)) g.nodes.push({ id, component: id, metadata: {} });
  for (const e of spec.edges ?? []) {
    const m = /^(.*?)\s*-(?:\((\d+)\)-)?>\s*(.*)$/.exec(e);
    if (!m) throw new Error(`bad edge ${e}`);
    g.edges.push({ from: ref(m[1]), to: ref(m[3]), capacity: m[2] ? Number(m[2]) : undefined, metadata: {} });
  }
  for (const [data, to] of spec.iips ?? []) g.iips.push({ data, fromText: false, to: ref(to), metadata: {} });
  return g;
}

export function makeNetwork(spec: NetSpec, opts: BuildOptions = {}): Network {
  const g = graphOf(spec);
  return new Network(buildNetwork(g, (n) => spec.nodes[n.id], { stdout: nullSink, ...opts }));
}

export const nullSink = { write: () => true, once: () => undefined };

/** A looper source: sends 1..count (count from its IIP), stops when its port closes. */
export const Gen = defineComponent({
  inPorts: { count: port.number() },
  outPorts: { out: port.number() },
  async run({ count }, { out }, ctx) {
    let ip = count.receive();
    if (ip instanceof Promise) ip = await ip;
    if (ip === null || ip.kind !== 'data') throw new Error('no count');
    const n = ip.data;
    ctx.drop(ip);
    for (let i = 1; i <= n; i++) {
      let r = out.emit(i);
      if (r instanceof Promise) r = await r;
      if (!r) break;
    }
  },
});

/** A sink that records every IP (kind and data) into `into`. */
export function collector(into: unknown[]): Component {
  return defineComponent({
    inPorts: { in: port.any() },
    outPorts: {},
    process: {
      in(ip) {
        into.push(ip.kind === 'data' ? ip.data : `${ip.kind}:${ip.data ?? ''}`);
      },
    },
  });
}

export const PassNL = defineComponent({
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  process: {
    in(ip, { out }) {
      out.send(ip);
    },
  },
});

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
