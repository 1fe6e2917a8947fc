/**
 * validate: check a Graph against the components it uses, and resolve it.
 *
 * Input: a graph (from parseFbp, parseJsonGraph or code) and a ComponentLookup that describes
 * each component's ports as plain data (PortShape mirrors component/port.ts, which graph/ does
 * not import). Output: every problem found (not just the first), sorted by position, and a
 * *resolved copy* of the graph, meaningful only when there are no diagnostics:
 * 1. port names are replaced by the declared names, matched exactly first, else ignoring case
 *    (`in` finds `IN`);
 * 2. edges and IIPs on an array port without an index get one: all explicit indices on that
 *    port are reserved first, then each unindexed reference, in order of appearance (by span),
 *    takes the lowest free index;
 * 3. IIP data is converted to the in-port's declared type (iip-convert.ts) and `fromText`
 *    becomes false.
 *
 * Checks (code, and where the diagnostic points):
 *   E_GRAPH              duplicate node id (the second node)
 *   E_UNKNOWN_COMPONENT  the node; hint: up to 3 close component names
 *   E_UNKNOWN_NODE       the edge or IIP port reference naming it
 *   E_UNKNOWN_PORT       the port reference; lists the node's ports, or says it is on the other side
 *   E_ARRAY_INDEX        the port reference (index on a non-array port, negative, fractional or
 *                        ≥ MAX_ARRAY_ELEMENTS)
 *   E_FANOUT             every edge after the first from the same out-port element
 *   E_UNCONNECTED        the node (required in-port, no default, no edge/IIP/graph inport)
 *   E_PORT_TYPE          the edge (the out-port's type cannot feed the in-port's: port-types.ts)
 *   E_IIP                the IIP (data does not convert to the port type)
 *   E_CAPACITY           the edge (capacity not an integer in 1..MAX_EDGE_CAPACITY)
 *   E_EXPORT             the export (duplicate name ignoring case, unknown node or port, wrong side)
 * Fan-in (several edges into one in-port element) is allowed: a connection merges its senders.
 */
import type { Diagnostic, DiagnosticCode } from './diagnostic.ts';
import { formatEdge, formatPortRef, type Graph, type PortRef, type SourceSpan } from './graph.ts';
import { convertIip, preview } from './iip-convert.ts';
import { compatible, isNumericMachine, typeLabel, type StructFieldShapes } from './port-types.ts';
import { didYouMean } from './suggest.ts';
import { compareSpans } from './text.ts';

export interface PortShape {
  type: string;
  isArray: boolean;
  required: boolean;
  hasDefault: boolean;
  /** `struct` only: field names and machine types, in declared order. */
  fields?: StructFieldShapes;
}
export interface ComponentShape {
  inPorts: Record<string, PortShape>;
  outPorts: Record<string, PortShape>;
}
export interface ComponentLookup {
  get(name: string): ComponentShape | undefined;
  names(): string[];
}

/**
 * Largest capacity an edge may ask for: 2^20 IPs. A bound that catches typos (an extra zero or
 * three) long before a connection's buffer could exhaust memory; not derived from a benchmark.
 */
export const MAX_EDGE_CAPACITY = 1_048_576;

/**
 * Largest number of elements of an array port (indices 0..65535). Every element up to the
 * highest index used is built, so a typo such as `IN[99999999]` must not reach the network.
 * Out of thin air: far more fan-out than any graph is drawn with.
 */
export const MAX_ARRAY_ELEMENTS = 65_536;

type Dir = 'in' | 'out';
interface Resolved {
  ref: PortRef;
  name: string;
  shape: PortShape;
  /** Position used for "order of appearance". */
  order: SourceSpan | undefined;
}

export function validate(
  graph: Graph,
  components: ComponentLookup,
): { graph: Graph; diagnostics: Diagnostic[] } {
  const out = copyGraph(graph);
  const diagnostics: Diagnostic[] = [];
  const report = (code: DiagnosticCode, span: SourceSpan | undefined, message: string, hint?: string) => {
    diagnostics.push({ code, message, ...(span ? { span } : {}), ...(hint ? { hint } : {}) });
  };

  // Nodes and their components.
  const nodes = new Map<string, { component: string; shape?: ComponentShape }>();
  for (const node of out.nodes) {
    if (nodes.has(node.id)) {
      report('E_GRAPH', node.span, `node id '${node.id}' is used by two nodes`);
      continue;
    }
    const shape = components.get(node.component);
    nodes.set(node.id, { component: node.component, shape });
    if (!shape) {
      const message = `node '${node.id}' uses component '${node.component}', which is not known`;
      report('E_UNKNOWN_COMPONENT', node.span, message, didYouMean(node.component, components.names()));
    }
  }
  const describeNode = (id: string) => `node '${id}' (${nodes.get(id)!.component})`;
  const listPorts = (dir: Dir, ports: Record<string, PortShape>) => {
    const names = Object.keys(ports);
    return `its ${dir}-ports are: ${names.length > 0 ? names.join(', ') : '(none)'}`;
  };

  const checkIndex = (ref: Omit<PortRef, 'span'>, shape: PortShape, span?: SourceSpan) => {
    if (ref.index === undefined) return;
    const where = `${ref.node}.${ref.port}`;
    if (!Number.isInteger(ref.index) || ref.index < 0) {
      report('E_ARRAY_INDEX', span, `index ${ref.index} of ${where} is not a non-negative integer`);
    } else if (ref.index >= MAX_ARRAY_ELEMENTS) {
      report('E_ARRAY_INDEX', span, `index ${ref.index} of ${where} is too large: an array port has at most ${MAX_ARRAY_ELEMENTS} elements`);
    } else if (!shape.isArray) {
      const message = `${where} of ${describeNode(ref.node)} is not an array port: remove [${ref.index}]`;
      report('E_ARRAY_INDEX', span, message);
    }
  };

  /** Resolve one end of an edge or IIP; on failure report it and return undefined. */
  const resolve = (ref: PortRef, dir: Dir, what: string, stmt?: SourceSpan): Resolved | undefined => {
    const span = ref.span ?? stmt;
    const node = nodes.get(ref.node);
    if (!node) {
      const message = `${what} names node '${ref.node}', which is not in the graph`;
      report('E_UNKNOWN_NODE', span, message, didYouMean(ref.node, nodes.keys()));
      return undefined;
    }
    if (!node.shape) return undefined; // already reported as an unknown component
    const ports = dir === 'in' ? node.shape.inPorts : node.shape.outPorts;
    const name = findPort(ports, ref.port);
    if (name === undefined) {
      const otherPorts = dir === 'in' ? node.shape.outPorts : node.shape.inPorts;
      if (findPort(otherPorts, ref.port) !== undefined) {
        const role = dir === 'in' ? 'target' : 'source';
        const message =
          `'${ref.port}' is an ${other(dir)}-port of ${describeNode(ref.node)}, ` +
          `so it cannot be the ${role} of ${what}`;
        report('E_UNKNOWN_PORT', span, message);
      } else {
        const message =
          `${describeNode(ref.node)} has no ${dir}-port '${ref.port}' (${what}); ${listPorts(dir, ports)}`;
        report('E_UNKNOWN_PORT', span, message, didYouMean(ref.port, Object.keys(ports)));
      }
      return undefined;
    }
    ref.port = name;
    checkIndex(ref, ports[name], span);
    return { ref, name, shape: ports[name], order: stmt ?? span };
  };

  const edgeEnds = out.edges.map((edge) => {
    const what = `edge ${formatEdge(edge)}`;
    const from = resolve(edge.from, 'out', what, edge.span);
    return { edge, from, to: resolve(edge.to, 'in', what, edge.span) };
  });
  const iipEnds = out.iips.map((iip) => {
    const what = `IIP ${preview(iip.data)} -> ${formatPortRef(iip.to)}`;
    return { iip, to: resolve(iip.to, 'in', what, iip.span) };
  });

  assignIndices(edgeEnds.map((e) => e.from));
  assignIndices([...edgeEnds.map((e) => e.to), ...iipEnds.map((e) => e.to)]);

  // Fan-out, types and capacities, edge by edge.
  const sources = new Map<string, PortRef>();
  for (const { edge, from, to } of edgeEnds) {
    if (from) {
      const key = `${from.ref.node}\u0000${from.name}\u0000${from.ref.index ?? ''}`;
      const first = sources.get(key);
      if (first) {
        const message =
          `out-port ${formatPortRef(edge.from)} is the source of two edges: ` +
          `to ${formatPortRef(first)} and to ${formatPortRef(edge.to)}`;
        const hint = 'an IP has one owner: put a core/Split between them';
        report('E_FANOUT', edge.span ?? edge.from.span, message, hint);
      } else {
        sources.set(key, edge.to);
      }
    }
    if (from && to && !compatible(from.shape, to.shape)) {
      const message =
        `edge ${formatEdge(edge)} connects out-port type '${typeLabel(from.shape)}' ` +
        `to in-port type '${typeLabel(to.shape)}'`;
      report('E_PORT_TYPE', edge.span, message, typeHint(from.shape.type, to.shape.type));
    }
    const c = edge.capacity;
    if (c !== undefined && (!Number.isInteger(c) || c < 1 || c > MAX_EDGE_CAPACITY)) {
      const message =
        `capacity ${c} of edge ${formatEdge(edge)} must be an integer from 1 to ${MAX_EDGE_CAPACITY}`;
      report('E_CAPACITY', edge.span, message);
    }
  }

  for (const { iip, to } of iipEnds) {
    if (!to) continue;
    const converted = convertIip(iip.data, iip.fromText, to.shape.type, to.shape.fields);
    if (converted.ok) {
      iip.data = converted.value;
      iip.fromText = false;
    } else {
      const port = `port ${to.name} of ${describeNode(iip.to.node)} takes ${typeLabel(to.shape)}`;
      report('E_IIP', iip.span, `IIP for ${formatPortRef(iip.to)}: ${converted.reason}; ${port}`);
    }
  }

  // Exports.
  const exported = new Set<string>();
  for (const [dir, list] of [['in', out.inports], ['out', out.outports]] as const) {
    const seen = new Map<string, SourceSpan | undefined>();
    for (const exp of list) {
      const what = `exported ${dir}port '${exp.name}'`;
      const key = exp.name.toLowerCase();
      if (seen.has(key)) {
        const first = seen.get(key);
        const where = first ? ` (first at ${first.line}:${first.col})` : '';
        report('E_EXPORT', exp.span, `${what} is exported twice${where}`);
        continue;
      }
      seen.set(key, exp.span);
      const node = nodes.get(exp.node);
      if (!node) {
        const message = `${what} refers to node '${exp.node}', which is not in the graph`;
        report('E_EXPORT', exp.span, message, didYouMean(exp.node, nodes.keys()));
        continue;
      }
      if (!node.shape) continue;
      const ports = dir === 'in' ? node.shape.inPorts : node.shape.outPorts;
      const name = findPort(ports, exp.port);
      if (name === undefined) {
        if (findPort(dir === 'in' ? node.shape.outPorts : node.shape.inPorts, exp.port) !== undefined) {
          const message =
            `${what} refers to '${exp.port}', an ${other(dir)}-port of ${describeNode(exp.node)}; ` +
            `a graph ${dir}port needs an ${dir}-port`;
          report('E_EXPORT', exp.span, message);
        } else {
          const message =
            `${what} refers to ${describeNode(exp.node)}, which has no ${dir}-port '${exp.port}'; ` +
            listPorts(dir, ports);
          report('E_EXPORT', exp.span, message, didYouMean(exp.port, Object.keys(ports)));
        }
        continue;
      }
      exp.port = name;
      checkIndex(exp, ports[name], exp.span);
      if (dir === 'in') exported.add(`${exp.node}\u0000${name}`);
    }
  }

  // Required in-ports that nothing feeds.
  const fed = new Set(exported);
  for (const r of [...edgeEnds.map((e) => e.to), ...iipEnds.map((e) => e.to)]) {
    if (r) fed.add(`${r.ref.node}\u0000${r.name}`);
  }
  const checked = new Set<string>();
  for (const node of out.nodes) {
    const entry = nodes.get(node.id);
    if (!entry?.shape || checked.has(node.id)) continue;
    checked.add(node.id);
    for (const [name, p] of Object.entries(entry.shape.inPorts)) {
      if (!p.required || p.hasDefault || fed.has(`${node.id}\u0000${name}`)) continue;
      report(
        'E_UNCONNECTED',
        node.span,
        `required in-port ${name} of ${describeNode(node.id)} has no edge, IIP or graph inport`,
        `connect it, send it an IIP ('value' -> ${name} ${node.id}), ` +
          `or export it (INPORT=${node.id}.${name}:NAME)`,
      );
    }
  }

  const sorted = diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => compareSpans(a.d.span, b.d.span) || a.i - b.i)
    .map((x) => x.d);
  return { graph: out, diagnostics: sorted };
}

/** A copy deep enough that resolving never changes the caller's graph (IIP data is replaced, not changed). */
function copyGraph(graph: Graph): Graph {
  return {
    ...graph,
    properties: { ...graph.properties },
    nodes: graph.nodes.map((n) => ({ ...n, metadata: { ...n.metadata } })),
    edges: graph.edges.map((e) => ({
      ...e,
      from: { ...e.from },
      to: { ...e.to },
      metadata: { ...e.metadata },
    })),
    iips: graph.iips.map((i) => ({ ...i, to: { ...i.to }, metadata: { ...i.metadata } })),
    inports: graph.inports.map((p) => ({ ...p, metadata: { ...p.metadata } })),
    outports: graph.outports.map((p) => ({ ...p, metadata: { ...p.metadata } })),
  };
}

/** Find a declared port: the exact name first, then ignoring case. */
function findPort(ports: Record<string, PortShape>, name: string): string | undefined {
  if (Object.hasOwn(ports, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(ports).find((k) => k.toLowerCase() === lower);
}

function other(dir: Dir): Dir {
  return dir === 'in' ? 'out' : 'in';
}

function typeHint(from: string, to: string): string | undefined {
  if (from === 'struct' && to === 'struct') return 'a struct feeds only a struct with the same fields, types and order';
  if (isNumericMachine(from) && isNumericMachine(to)) return `machine types only widen (i16 -> i32, i32 -> f64, ...); declare the in-port ${from}, or convert in a component`;
  return undefined;
}

/**
 * Array ports: reserve every explicit index on a port, then give each reference without one
 * the lowest free index, in order of appearance.
 */
function assignIndices(refs: (Resolved | undefined)[]): void {
  const byPort = new Map<string, Resolved[]>();
  for (const r of refs) {
    if (!r || !r.shape.isArray) continue;
    const key = `${r.ref.node}\u0000${r.name}`;
    const list = byPort.get(key);
    if (list) list.push(r);
    else byPort.set(key, [r]);
  }
  for (const list of byPort.values()) {
    const used = new Set(list.map((r) => r.ref.index).filter((i) => i !== undefined));
    const pending = list
      .filter((r) => r.ref.index === undefined)
      .sort((a, b) => compareSpans(a.order, b.order));
    let next = 0;
    for (const r of pending) {
      while (used.has(next)) next++;
      r.ref.index = next++;
    }
  }
}
