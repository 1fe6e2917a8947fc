/**
 * Building a network from code: the same Graph as a .fbp file would give, validated the same
 * way, with component objects usable directly.
 *
 *   const result = await network()
 *     .node('gen', 'core/Generate', { count: 1000 })
 *     .node('up', Upper)                      // a component object: no registry needed
 *     .node('out', 'core/Output')
 *     .connect('gen.out', 'up.in')
 *     .connect('up.out', 'out.in', { capacity: 64 })
 *     .run();
 *
 * A component given as an object is registered under `code/<node id>` for this network only.
 * Port references are `node.port` or `node.port[index]`; IIPs are given per node as
 * `{ port: value }` (values as they are, not text). Mistakes (unknown node, port, component,
 * fan-out, ...) come back as the GraphError that `run` throws for files, naming node and port.
 */
import { isComponent, type Component } from '../component/define.ts';
import { WeftError } from '../errors.ts';
import { emptyGraph, type Graph, type PortRef } from '../graph/graph.ts';

export interface BuilderNode {
  id: string;
  /** A registered name (`core/Output`) or the component itself. */
  component: string | Component;
}

const REF = /^([A-Za-z_][\w-]*)\.([A-Za-z_][\w]*)(?:\[(\d+)\])?$/;

function parseRef(ref: string): PortRef {
  const m = REF.exec(ref.trim());
  if (!m) throw new WeftError('E_USAGE', `'${ref}' is not a port reference: write node.port or node.port[index]`);
  return { node: m[1], port: m[2], index: m[3] === undefined ? undefined : Number(m[3]) };
}

export class NetworkBuilder {
  private readonly graph: Graph = emptyGraph();
  /** Component objects given to node(), by the name they are registered under. */
  readonly components = new Map<string, Component>();

  node(id: string, component: string | Component, iips: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): this {
    let name: string;
    if (typeof component === 'string') name = component;
    else if (isComponent(component)) {
      name = `code/${id}`;
      this.components.set(name, component);
    } else {
      throw new WeftError('E_USAGE', `node ${id}: the component must be a name or a component made by defineComponent`);
    }
    this.graph.nodes.push({ id, component: name, metadata: { ...metadata } });
    for (const [port, data] of Object.entries(iips)) {
      this.graph.iips.push({ data, fromText: false, to: { node: id, port }, metadata: {} });
    }
    return this;
  }

  connect(from: string, to: string, opts: { capacity?: number } = {}): this {
    this.graph.edges.push({ from: parseRef(from), to: parseRef(to), capacity: opts.capacity, metadata: {} });
    return this;
  }

  /** Send a value to a port when the network starts (an IIP). */
  iip(to: string, data: unknown): this {
    this.graph.iips.push({ data, fromText: false, to: parseRef(to), metadata: {} });
    return this;
  }

  /** The graph as data (a copy of its lists; IIP values are shared, not cloned). */
  toGraph(): Graph {
    const g = this.graph;
    return {
      ...g,
      properties: { ...g.properties },
      nodes: g.nodes.map((n) => ({ ...n })),
      edges: g.edges.map((e) => ({ ...e })),
      iips: g.iips.map((i) => ({ ...i })),
      inports: [...g.inports],
      outports: [...g.outports],
    };
  }
}

export function network(): NetworkBuilder {
  return new NetworkBuilder();
}
