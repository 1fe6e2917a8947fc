/**
 * JSON graphs in the NoFlo / fbp-graph shape ↔ Graph.
 *
 *   { "properties": { "name": "..." },
 *     "inports":  { "NAME": { "process": "Read", "port": "IN", "index": 0, "metadata": {} } },
 *     "outports": { ... },
 *     "processes": { "Read": { "component": "fs/ReadFile", "metadata": { "x": 10 } } },
 *     "connections": [
 *       { "src": { "process": "Read", "port": "OUT" }, "tgt": { "process": "Show", "port": "IN" },
 *         "metadata": { "capacity": 4 } },
 *       { "data": "file.txt", "tgt": { "process": "Read", "port": "IN" } } ] }
 *
 * Invariants:
 * - parseJsonGraph never throws. Invalid JSON is one E_PARSE at the line:col of the first bad
 *   character; a value of the wrong shape is E_GRAPH with `span.path` (`connections[3].tgt.port`)
 *   and the line:col where that value starts. A JSON object that repeats a key is E_GRAPH too
 *   (JSON.parse would silently keep the last one).
 * - Edge `metadata.capacity` becomes `edge.capacity` (and leaves the metadata); it must be a
 *   positive integer (E_CAPACITY). IIPs from JSON have `fromText: false`.
 * - Indices must be numbers when present (`null` counts as absent); whether they are valid
 *   element numbers is validate.ts's job (E_ARRAY_INDEX).
 * - Unknown top-level keys (`caseSensitive`, `groups`, ...) are ignored; the legacy `exports`
 *   list is refused with a message.
 * - toJson writes the same shape (plus `caseSensitive: true`, since port names are kept as
 *   written, and an empty `groups`), connections in order of appearance, `metadata` only where
 *   non-empty. Exported names must be unique for the object form to keep them all.
 */
import type { Diagnostic, DiagnosticCode } from './diagnostic.ts';
import { emptyGraph, type ExportedPort, type Graph, type PortRef, type SourceSpan } from './graph.ts';
import { compareSpans, joinPath, LineIndex, scanJsonValue } from './text.ts';

type Json = Record<string, unknown>;

export function parseJsonGraph(text: string, file?: string): { graph: Graph; diagnostics: Diagnostic[] } {
  const graph = emptyGraph(file);
  const diagnostics: Diagnostic[] = [];
  const lines = new LineIndex(text);
  const scan = scanJsonValue(text, 0, { pathDepth: 4 });
  if (!scan.ok) {
    const span = lines.span(scan.offset, file);
    diagnostics.push({ code: 'E_PARSE', message: `invalid JSON: ${scan.message}`, span });
    return { graph, diagnostics };
  }
  const rest = /^[ \t\r\n]*/.exec(text.slice(scan.end))![0].length + scan.end;
  if (rest < text.length) {
    const message = 'invalid JSON: unexpected text after the graph object';
    diagnostics.push({ code: 'E_PARSE', message, span: lines.span(rest, file) });
    return { graph, diagnostics };
  }

  const spanOf = (path: string): SourceSpan => {
    // Paths deeper than the scanner recorded fall back to their closest recorded parent.
    let p = path;
    let offset = scan.paths.get(p);
    while (offset === undefined && p !== '') {
      const parent = p.replace(/(\.[^.[]*|\[[^\]]*\])$/, '');
      p = parent === p ? '' : parent;
      offset = scan.paths.get(p);
    }
    return { ...lines.span(offset ?? 0, file), path };
  };
  const problem = (path: string, message: string, code: DiagnosticCode = 'E_GRAPH'): void => {
    diagnostics.push({ code, message, span: spanOf(path) });
  };
  for (const dup of scan.duplicates) {
    diagnostics.push({
      code: 'E_GRAPH',
      message: `key '${dup.key}' appears twice in the same object; JSON keeps only the last`,
      span: { ...lines.span(dup.offset, file), path: dup.path },
    });
  }

  const root = scan.value;
  if (!isRecord(root)) {
    problem('', 'a JSON graph is an object with processes and connections');
    return { graph, diagnostics };
  }
  if ('exports' in root) {
    problem('exports', "the legacy 'exports' list is not supported: use 'inports' and 'outports'");
  }

  const object = (value: unknown, path: string, what: string): Json | undefined => {
    if (value === undefined) return undefined;
    if (isRecord(value)) return value;
    problem(path, `${what} must be an object`);
    return undefined;
  };
  const string = (obj: Json, key: string, path: string, what: string): string | undefined => {
    const v = obj[key];
    if (typeof v === 'string') return v;
    const message = v === undefined ? `${what} is missing '${key}'` : `'${key}' must be a string`;
    problem(joinPath(path, key), message);
    return undefined;
  };
  const index = (obj: Json, path: string): { ok: boolean; index?: number } => {
    const v = obj.index;
    if (v === undefined || v === null) return { ok: true };
    if (typeof v === 'number') return { ok: true, index: v };
    problem(joinPath(path, 'index'), "'index' must be a number (the array port element)");
    return { ok: false };
  };
  const metadata = (obj: Json, path: string): Json => ({
    ...(object(obj.metadata, joinPath(path, 'metadata'), "'metadata'") ?? {}),
  });
  const portRef = (value: unknown, path: string, what: string): PortRef | undefined => {
    const obj = object(value, path, what);
    if (!obj) {
      if (value === undefined) problem(path, `${what} is missing`);
      return undefined;
    }
    const node = string(obj, 'process', path, what);
    const port = string(obj, 'port', path, what);
    const idx = index(obj, path);
    if (node === undefined || port === undefined || !idx.ok) return undefined;
    return { node, port, ...(idx.index === undefined ? {} : { index: idx.index }), span: spanOf(path) };
  };

  const properties = object(root.properties, 'properties', "'properties'");
  if (properties) graph.properties = { ...properties };

  const processes = object(root.processes, 'processes', "'processes'") ?? {};
  for (const [id, value] of Object.entries(processes)) {
    const path = joinPath('processes', id);
    const proc = object(value, path, `process '${id}'`);
    if (!proc) continue;
    const component = string(proc, 'component', path, `process '${id}'`);
    if (component === undefined) continue;
    graph.nodes.push({ id, component, metadata: metadata(proc, path), span: spanOf(path) });
  }

  const connections = root.connections;
  if (connections !== undefined && !Array.isArray(connections)) {
    problem('connections', "'connections' must be an array");
  }
  (Array.isArray(connections) ? connections : []).forEach((value, i) => {
    const path = `connections[${i}]`;
    const conn = object(value, path, 'a connection');
    if (!conn) return;
    const isIip = 'data' in conn;
    if (isIip && 'src' in conn) {
      return problem(path, "a connection has either 'src' (an edge) or 'data' (an IIP), not both");
    }
    if (!isIip && !('src' in conn)) {
      return problem(path, "a connection needs 'src' (an edge) or 'data' (an IIP)");
    }
    const to = portRef(conn.tgt, joinPath(path, 'tgt'), `connection ${i} target`);
    const meta = metadata(conn, path);
    if (isIip) {
      if (to) graph.iips.push({ data: conn.data, fromText: false, to, metadata: meta, span: spanOf(path) });
      return;
    }
    const from = portRef(conn.src, joinPath(path, 'src'), `connection ${i} source`);
    let capacity: number | undefined;
    if ('capacity' in meta) {
      const c = meta.capacity;
      if (typeof c === 'number' && Number.isSafeInteger(c) && c > 0) capacity = c;
      else {
        const got = JSON.stringify(c) ?? String(c);
        const where = `${joinPath(path, 'metadata')}.capacity`;
        problem(where, `capacity must be a positive integer, got ${got}`, 'E_CAPACITY');
      }
      delete meta.capacity;
    }
    if (from && to) {
      const span = spanOf(path);
      graph.edges.push({ from, to, ...(capacity === undefined ? {} : { capacity }), metadata: meta, span });
    }
  });

  for (const [key, list] of [['inports', graph.inports], ['outports', graph.outports]] as const) {
    const ports = object(root[key], key, `'${key}'`) ?? {};
    for (const [name, value] of Object.entries(ports)) {
      const path = joinPath(key, name);
      const obj = object(value, path, `${key.slice(0, -1)} '${name}'`);
      if (!obj) continue;
      const node = string(obj, 'process', path, `${key.slice(0, -1)} '${name}'`);
      const port = string(obj, 'port', path, `${key.slice(0, -1)} '${name}'`);
      const idx = index(obj, path);
      if (node === undefined || port === undefined || !idx.ok) continue;
      const exported: ExportedPort = { name, node, port, metadata: metadata(obj, path), span: spanOf(path) };
      if (idx.index !== undefined) exported.index = idx.index;
      list.push(exported);
    }
  }

  diagnostics.sort((a, b) => compareSpans(a.span, b.span));
  return { graph, diagnostics };
}

/** The NoFlo JSON form of a graph; JSON.stringify it to save. Spans are not written. */
export function toJson(graph: Graph): Json {
  const ref = (r: { node: string; port: string; index?: number }) => ({
    process: r.node,
    port: r.port,
    ...(r.index === undefined ? {} : { index: r.index }),
  });
  const withMeta = <T extends object>(obj: T, meta: Json) =>
    Object.keys(meta).length > 0 ? { ...obj, metadata: meta } : obj;
  const exported = (list: ExportedPort[]) =>
    Object.fromEntries(list.map((e) => [e.name, withMeta(ref(e), e.metadata)]));

  const items = [
    ...graph.edges.map((edge) => ({
      span: edge.span,
      json: withMeta(
        { src: ref(edge.from), tgt: ref(edge.to) },
        edge.capacity === undefined ? edge.metadata : { ...edge.metadata, capacity: edge.capacity },
      ),
    })),
    ...graph.iips.map((iip) => ({
      span: iip.span,
      json: withMeta({ data: iip.data, tgt: ref(iip.to) }, iip.metadata),
    })),
  ];
  items.sort((a, b) => compareSpans(a.span, b.span));

  return {
    caseSensitive: true,
    properties: { ...graph.properties },
    inports: exported(graph.inports),
    outports: exported(graph.outports),
    groups: [],
    processes: Object.fromEntries(
      graph.nodes.map((n) => [n.id, withMeta({ component: n.component }, n.metadata)]),
    ),
    connections: items.map((i) => i.json),
  };
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
