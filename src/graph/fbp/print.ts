/**
 * printFbp: Graph → canonical .fbp text, the inverse of parser.ts.
 *
 * Layout: annotations (`# @runtime`, then `# @key value` for the other string properties),
 * exports (`INPORT=`/`OUTPORT=`), a blank line, then one statement per IIP or edge in order of
 * appearance (by span; elements without a span keep their array order, edges before IIPs).
 * Every port is written explicitly (no default ports, no chains), capacities as `-(N)->`.
 *
 * Round trip: for a graph that the .fbp language can express, parseFbp(printFbp(g)) equals g
 * apart from spans. To keep the node order, each node is declared `Id(Component:meta)` at its
 * first use, except where that would put it after a node that comes later in `graph.nodes`: such
 * nodes are declared on a line of their own just before. Precisely: the declared nodes always
 * form a prefix of `graph.nodes`; a statement that uses node K (the highest not yet declared)
 * is preceded by standalone declarations of the undeclared nodes before K and declares K inline.
 *
 * What .fbp cannot express is written as faithfully as possible or left out (documented, not
 * reported): edge, IIP and export metadata are dropped; node metadata entries are kept only when
 * key and value fit `[A-Za-z0-9/_]+` (x and y: non-negative integers); properties other than
 * one-line strings (and `environment.type`) are dropped. A text IIP that contains a line break
 * or ends with a backslash is written as a JSON string; a JSON string IIP reads back as text
 * (`fromText: true`), which validation treats alike except on object/array ports. Names outside
 * the .fbp character sets are written as they are; parseFbp then reports them.
 */
import type { Edge, ExportedPort, Graph, IIP, Node } from '../graph.ts';
import { compareSpans } from '../text.ts';
import { ANNOTATION_KEY, META_TEXT } from './lexer.ts';

type Statement = { kind: 'edge'; edge: Edge } | { kind: 'iip'; iip: IIP };

export function printFbp(graph: Graph): string {
  const header = [
    ...annotations(graph.properties),
    ...exports('INPORT', graph.inports),
    ...exports('OUTPORT', graph.outports),
  ];

  const statements: Statement[] = [
    ...graph.edges.map((edge): Statement => ({ kind: 'edge', edge })),
    ...graph.iips.map((iip): Statement => ({ kind: 'iip', iip })),
  ];
  statements.sort((a, b) => compareSpans(spanOf(a), spanOf(b)));

  const firstIndex = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    if (!firstIndex.has(n.id)) firstIndex.set(n.id, i);
  });
  const body: string[] = [];
  let declaredUpTo = 0; // graph.nodes[0 .. declaredUpTo) are declared
  for (const st of statements) {
    const used = st.kind === 'edge' ? [st.edge.from.node, st.edge.to.node] : [st.iip.to.node];
    const pending = used
      .map((id) => firstIndex.get(id))
      .filter((i): i is number => i !== undefined && i >= declaredUpTo);
    let inline: string | undefined;
    if (pending.length > 0) {
      const k = Math.max(...pending);
      for (; declaredUpTo < k; declaredUpTo++) body.push(declaration(graph.nodes[declaredUpTo]));
      declaredUpTo = k + 1;
      inline = graph.nodes[k].id;
    }
    const ref = (id: string): string => {
      if (id !== inline) return id;
      inline = undefined; // declare once, at the first mention in the statement
      return declaration(graph.nodes[firstIndex.get(id)!]);
    };
    if (st.kind === 'iip') {
      body.push(`${iipLiteral(st.iip)} -> ${port(st.iip.to)} ${ref(st.iip.to.node)}`);
    } else {
      const e = st.edge;
      const arrow = e.capacity === undefined ? '->' : `-(${e.capacity})->`;
      body.push(`${ref(e.from.node)} ${port(e.from)} ${arrow} ${port(e.to)} ${ref(e.to.node)}`);
    }
  }
  for (; declaredUpTo < graph.nodes.length; declaredUpTo++) body.push(declaration(graph.nodes[declaredUpTo]));

  const parts = [header, body].filter((lines) => lines.length > 0).map((lines) => `${lines.join('\n')}\n`);
  return parts.join('\n');
}

function spanOf(st: Statement) {
  return st.kind === 'edge' ? st.edge.span : st.iip.span;
}

function annotations(properties: Record<string, unknown>): string[] {
  const out: string[] = [];
  const env = properties.environment;
  if (isRecord(env) && Object.keys(env).length === 1 && printable(env.type)) out.push(`# @runtime ${env.type}`);
  for (const [key, value] of Object.entries(properties)) {
    // `runtime` would read back as environment.type; other keys must fit the annotation syntax.
    if (key !== 'runtime' && ANNOTATION_KEY.test(key) && printable(value)) out.push(`# @${key} ${value}`);
  }
  return out;
}

/** A property value that reads back unchanged from `# @key value`. */
function printable(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  return value !== '' && value === value.trim() && !/[\n\r\u2028\u2029]/.test(value);
}

function exports(keyword: string, list: ExportedPort[]): string[] {
  return list.map((e) => `${keyword}=${e.node}.${port(e)}:${e.name}`);
}

function port(ref: { port: string; index?: number }): string {
  return ref.index === undefined ? ref.port : `${ref.port}[${ref.index}]`;
}

function declaration(node: Node): string {
  const meta: string[] = [];
  for (const [key, value] of Object.entries(node.metadata)) {
    if (!META_TEXT.test(key)) continue;
    if (key === 'x' || key === 'y') {
      if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) meta.push(`${key}=${value}`);
    } else if (typeof value === 'string' && META_TEXT.test(value)) {
      meta.push(`${key}=${value}`);
    }
  }
  return `${node.id}(${node.component}${meta.length > 0 ? `:${meta.join(',')}` : ''})`;
}

function iipLiteral(iip: IIP): string {
  const data = iip.data;
  if (iip.fromText && typeof data === 'string') {
    // In a quoted IIP only `\'` is an escape, so a backslash before the closing quote (a
    // trailing backslash) cannot be written, and a quoted IIP cannot span lines.
    if (!/[\n\r\u2028\u2029]/.test(data) && !data.endsWith('\\')) return `'${data.replaceAll("'", "\\'")}'`;
    return JSON.stringify(data);
  }
  try {
    return JSON.stringify(data) ?? 'null';
  } catch {
    return 'null'; // a value JSON cannot hold (BigInt, a cycle) has no .fbp form either
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
