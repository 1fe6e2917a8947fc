/**
 * Graph: the network as plain data. No I/O, no threads, no components.
 *
 * Glossary: a *node* is one use of a component; an *edge* describes a connection from one
 * out-port element to one in-port element; an *IIP* is a constant delivered once to an
 * in-port element; an *exported port* makes an inner port visible when the graph is used as a
 * component (a subnet).
 *
 * Invariants:
 * - Node ids are unique within a graph. Edges and IIPs name nodes by id.
 * - Port names are stored as written in the source; matching against a component's ports
 *   (case-insensitive for `.fbp`) happens in validate.ts, which returns a resolved graph.
 * - `index` is present only for array-port elements (`OUT[2]`).
 * - Every element carries the span (file:line:col) or JSON path it came from, so that every
 *   diagnostic can point at its origin.
 */

/** Where something came from: 1-based line and column in a text file, or a JSON path. */
export interface SourceSpan {
  file?: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  /** For JSON graphs: a JSON path such as `connections[3].tgt.port`. */
  path?: string;
}

export interface PortRef {
  node: string;
  port: string;
  /** Element of an array port, when addressed as `PORT[index]`. */
  index?: number;
  span?: SourceSpan;
}

export interface Node {
  id: string;
  /** Component name as written: `collection/Name` (or a bare name). */
  component: string;
  metadata: Record<string, unknown>;
  span?: SourceSpan;
}

export interface Edge {
  from: PortRef;
  to: PortRef;
  /** Per-edge capacity (number of IPs the connection holds). Absent: the network default. */
  capacity?: number;
  metadata: Record<string, unknown>;
  span?: SourceSpan;
}

export interface IIP {
  /**
   * The constant. For `.fbp` sources it is the text between the quotes (`fromText: true`) and
   * is converted to the target port's declared type during validation; for JSON sources it is
   * the JSON value as given.
   */
  data: unknown;
  fromText: boolean;
  to: PortRef;
  metadata: Record<string, unknown>;
  span?: SourceSpan;
}

export interface ExportedPort {
  /** The public name of the port on the subnet. */
  name: string;
  node: string;
  port: string;
  index?: number;
  metadata: Record<string, unknown>;
  span?: SourceSpan;
}

export interface Graph {
  /** The file it was loaded from, if any (used in diagnostics). */
  file?: string;
  /** Graph-level properties (`name`, `description`, ... ; `.fbp` `# @name` annotations). */
  properties: Record<string, unknown>;
  nodes: Node[];
  edges: Edge[];
  iips: IIP[];
  inports: ExportedPort[];
  outports: ExportedPort[];
}

export function emptyGraph(file?: string): Graph {
  return { file, properties: {}, nodes: [], edges: [], iips: [], inports: [], outports: [] };
}

/**
 * Set an own, enumerable property, even for keys such as `__proto__` that plain assignment
 * would turn into a prototype change (names in graphs are user text).
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** `Node.PORT[2]` as used in messages. */
export function formatPortRef(ref: { node: string; port: string; index?: number }): string {
  return `${ref.node}.${ref.port}${ref.index === undefined ? '' : `[${ref.index}]`}`;
}

/** `A.OUT -> B.IN` as used in messages and deadlock reports. */
export function formatEdge(edge: { from: PortRef; to: PortRef }): string {
  return `${formatPortRef(edge.from)} -> ${formatPortRef(edge.to)}`;
}
