/**
 * Chain elements for the .fbp parser: which words of a statement are ports and which is the
 * node. Between two arrows an element is `[PORT] Node [PORT]`; which ports it may have depends
 * on its place in the chain:
 *
 *   first   'data' (an IIP)  |  Node [PORT]          (fbp silently drops a PORT before it)
 *   middle  [PORT] Node(C) [PORT]  |  PORT Node PORT  |  Node (both ports default)
 *   last    [PORT] Node                               (fbp silently drops a PORT after it)
 *   only    Node(C)  (a declaration; `(C)` an anonymous one)
 *
 * A port next to a `Name(Component)` may be omitted (DEFAULT_INPORT / DEFAULT_OUTPORT, IN and
 * OUT unless changed). Two bare words between arrows (`-> X Y ->`) are ambiguous and refused;
 * fbp takes X as a node with out-port Y and drops the edge into X. A bare `true`, `false` or `null`
 * alone before the first arrow is a JSON IIP, not a node (fbp reads it as a node name).
 *
 * Invariants: functions here only read tokens; a malformed element throws StatementError
 * (caught by the parser, one diagnostic per statement) before the graph is touched.
 */
import type { DiagnosticCode } from '../diagnostic.ts';
import { NODE_NAME, PORT_NAME, type Token } from './lexer.ts';

export type Part =
  | { kind: 'word'; tok: Token; index?: Token }
  | { kind: 'node'; tok: Token; name?: Token; comp: Token }
  | { kind: 'iip'; tok: Token };

export interface NodePart {
  tok: Token;
  name?: Token;
  comp?: Token;
}
export interface PortPart {
  tok: Token;
  index?: Token;
}
export type Element =
  | { kind: 'iip'; tok: Token; data: unknown; fromText: boolean }
  | { kind: 'node'; node: NodePart; in?: PortPart; out?: PortPart };
export type Role = 'first' | 'middle' | 'last' | 'only';

/** Aborts the current statement with one diagnostic. Never escapes parseFbp. */
export class StatementError {
  constructor(
    readonly tok: Token,
    readonly message: string,
    readonly code: DiagnosticCode = 'E_PARSE',
  ) {}
}

export function toParts(toks: Token[]): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    const next = toks[i + 1];
    if (tok.kind === 'word') {
      if (next?.kind === 'index') {
        parts.push({ kind: 'word', tok, index: next });
        i++;
        const after = toks[i + 1];
        if (after?.kind === 'component' && !after.spaceBefore) {
          throw new StatementError(next, 'a node name cannot have an array index');
        }
      } else if (next?.kind === 'component' && !next.spaceBefore) {
        parts.push({ kind: 'node', tok, name: tok, comp: next });
        i++;
      } else {
        parts.push({ kind: 'word', tok });
      }
    } else if (tok.kind === 'component') {
      parts.push({ kind: 'node', tok, comp: tok });
    } else if (tok.kind === 'string' || tok.kind === 'json') {
      parts.push({ kind: 'iip', tok });
    } else {
      throw new StatementError(tok, `unexpected '${tok.text}'`);
    }
  }
  return parts;
}

/** Decide which part of an element is the node and which are ports; see the header. */
export function toElement(parts: Part[], role: Role): Element {
  const missingArrow = (p: Part) => new StatementError(p.tok, `missing '->' before '${partText(p)}'`);
  const afterEnd = (p: Part) =>
    new StatementError(
      p.tok,
      `unexpected '${partText(p)}' after the end of the chain: expected '->', ',' or a new line`,
    );
  const unconnected = (p: Part, where: string) =>
    new StatementError(p.tok, `port '${partText(p)}' ${where} is not connected to anything`);

  const iipAt = parts.findIndex((p) => p.kind === 'iip');
  if (iipAt >= 0) {
    const p = parts[iipAt];
    if (iipAt === 0 && role === 'first') {
      if (parts.length > 1) throw missingArrow(parts[1]);
      const value = p.tok.value;
      const fromText = p.tok.kind === 'string' || typeof value === 'string';
      return { kind: 'iip', tok: p.tok, data: value, fromText };
    }
    if (iipAt === 0 && role === 'only') {
      throw new StatementError(p.tok, "an IIP needs a target: 'data' -> PORT Node");
    }
    throw new StatementError(p.tok, "an IIP can only start a chain: 'data' -> PORT Node");
  }
  const only = parts[0];
  const literal = only.kind === 'word' && !only.index && /^(true|false|null)$/.test(only.tok.text);
  if (role === 'first' && parts.length === 1 && literal) {
    return { kind: 'iip', tok: only.tok, data: JSON.parse(only.tok.text), fromText: false };
  }

  const nodeAt = parts.findIndex((p) => p.kind === 'node');
  if (nodeAt >= 0) {
    // Layouts: first/only `Node(C) [PORT]`, middle `[PORT] Node(C) [PORT]`, last `[PORT] Node(C)`.
    if (role === 'first' || role === 'only') {
      if (nodeAt >= 2) throw missingArrow(parts[2]);
      const where = role === 'only' ? 'before the node' : 'before the first node of the chain';
      if (nodeAt === 1) throw unconnected(parts[0], where);
      if (parts[1]?.kind === 'node') throw missingArrow(parts[1]);
      if (parts.length > 2) throw missingArrow(parts[2]);
      if (role === 'only' && parts.length === 2) throw unconnected(parts[1], 'after the node');
    } else if (nodeAt >= 2) {
      throw missingArrow(parts[1]);
    } else if (role === 'middle') {
      if (parts[nodeAt + 1]?.kind === 'node') throw missingArrow(parts[nodeAt + 1]);
      if (parts.length > nodeAt + 2) throw missingArrow(parts[nodeAt + 2]);
    } else if (parts.length > nodeAt + 1) {
      const extra = parts[nodeAt + 1];
      if (parts.length === nodeAt + 2 && extra.kind === 'word') {
        throw unconnected(extra, 'after the last node of the chain');
      }
      throw afterEnd(extra);
    }
    return shape(parts[nodeAt - 1], parts[nodeAt], parts[nodeAt + 1]);
  }

  // Only plain words: the position in the chain decides.
  switch (role) {
    case 'first':
      if (parts.length > 2) throw missingArrow(parts[2]);
      return shape(undefined, parts[0], parts[1]);
    case 'only':
      if (parts.length > 2) throw missingArrow(parts[2]);
      if (parts.length === 2) {
        const message = `port '${partText(parts[1])}' is not connected: expected '->' after it`;
        throw new StatementError(parts[1].tok, message);
      }
      throw new StatementError(
        parts[0].tok,
        `'${partText(parts[0])}' alone does nothing: ` +
          `declare a node as '${parts[0].tok.text}(Component)' or connect it with '->'`,
      );
    case 'last':
      if (parts.length === 3) throw unconnected(parts[2], 'after the last node of the chain');
      if (parts.length > 3) throw afterEnd(parts[2]);
      return parts.length === 1 ? shape(undefined, parts[0], undefined) : shape(parts[0], parts[1], undefined);
    case 'middle':
      if (parts.length === 2) {
        throw new StatementError(
          parts[0].tok,
          `'${partText(parts[0])} ${partText(parts[1])}' between two arrows is ambiguous: ` +
            "write 'INPORT Node OUTPORT'",
        );
      }
      if (parts.length > 3) throw missingArrow(parts[3]);
      return parts.length === 1 ? shape(undefined, parts[0], undefined) : shape(parts[0], parts[1], parts[2]);
  }
}

function shape(inPart: Part | undefined, nodePart: Part, outPart: Part | undefined): Element {
  const port = (p: Part | undefined): PortPart | undefined => {
    if (!p) return undefined;
    if (p.kind !== 'word') throw new StatementError(p.tok, `missing '->' before '${partText(p)}'`);
    checkPortName(p.tok);
    return { tok: p.tok, ...(p.index ? { index: p.index } : {}) };
  };
  let node: NodePart;
  if (nodePart.kind === 'word') {
    if (nodePart.index) {
      const message = `a node name cannot have an array index ('${partText(nodePart)}')`;
      throw new StatementError(nodePart.index, message);
    }
    node = { tok: nodePart.tok, name: nodePart.tok };
  } else if (nodePart.kind === 'node') {
    node = { tok: nodePart.tok, comp: nodePart.comp, ...(nodePart.name ? { name: nodePart.name } : {}) };
  } else {
    throw new StatementError(nodePart.tok, 'expected a node');
  }
  checkNode(node);
  return { kind: 'node', node, in: port(inPart), out: port(outPart) };
}

export function checkPortName(tok: Token): void {
  if (!PORT_NAME.test(tok.text)) {
    throw new StatementError(tok, `invalid port name '${tok.text}': use letters, digits, '_' and '.'`);
  }
}

/** Check a node part before the statement changes anything. */
export function checkNode(part: NodePart): void {
  if (part.name && !NODE_NAME.test(part.name.text)) {
    const name = part.name.text;
    throw new StatementError(part.name, `invalid node name '${name}': use letters, digits, '_' and '-'`);
  }
  if (!part.name && !part.comp?.component?.name) {
    throw new StatementError(part.tok, "an anonymous node needs a component: '(Component)'", 'E_GRAPH');
  }
}

function partText(p: Part): string {
  if (p.kind === 'word') return p.tok.text + (p.index ? p.index.text : '');
  if (p.kind === 'node') return (p.name?.text ?? '') + p.comp.text;
  return p.tok.text.length > 24 ? `${p.tok.text.slice(0, 21)}...` : p.tok.text;
}
