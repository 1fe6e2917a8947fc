/**
 * Parser for NoFlo's .fbp language (the language of the `fbp` npm package, 1.8): text →
 * Graph + diagnostics. Written from the grammar, not from fbp's generated code.
 *
 * Statements end at a new line or a comma. Informally:
 *
 *   # @name Foo                          annotation (column 1) → graph.properties.name;
 *                                        `# @runtime x` → properties.environment = { type: x }
 *   INPORT=Node.PORT:NAME                exported in-port (OUTPORT= likewise); `PORT[2]` allowed
 *   DEFAULT_INPORT=NAME                  port used where a chain omits one (initially IN / OUT)
 *   Node(collection/Comp:k=v,x=10)       declaration; may appear at any mention of the node
 *   (collection/Comp)                    anonymous node, named `_collection_Comp_1`, ...
 *   'text' -> PORT Node                  IIP (`\'` is a quote); or a JSON value:
 *   {"a": 1} -> PORT Node                numbers, "strings", objects, arrays, true/false/null
 *   A OUT -> IN B OUT[1] -> IN[0] C      chain; ports next to a (Component) may be omitted
 *   A OUT -(4)-> IN B                    EXTENSION: edge capacity 4 (edge.capacity)
 *
 * Output invariants:
 * - Port names are kept as written; `PORT[n]` sets `index`. Nodes are listed in the order of
 *   their first `Name(...)` mention (as fbp does); edges, IIPs and exports in text order.
 * - Every node, edge, IIP, export and port reference has a 1-based span: a node points at its
 *   declaration, an edge at its source port (the node, where the port is implied), an IIP at
 *   its literal, an export at its keyword.
 * - Single-quoted IIPs and JSON "strings" give `fromText: true` with the string as data; other
 *   JSON IIPs give `fromText: false` with the parsed value.
 * - Never throws. Every problem is a diagnostic; a statement with a syntax error contributes
 *   nothing to the graph (so one mistake gives one diagnostic, not a cascade).
 *
 * Differences from fbp, on purpose (each has a case in differential.test.ts):
 * - Refused here, silently dropped or misread by fbp: a missing arrow (`A OUT IN B`), a port
 *   before the first or after the last node of a chain, two statements on one line without a
 *   comma, two bare words between arrows, a node given two components, metadata entries that
 *   are not `key=value` (or x/y that are not integers), a duplicate export name.
 * - Read as written where fbp misreads: `A -> B -> C` with bare names (fbp drops A -> B),
 *   metadata spread over several mentions (merged; fbp keeps the last set), an annotation on
 *   the last line without a newline, annotation values with any text (fbp ignores them),
 *   a lone `true`/`false`/`null` before an arrow (a JSON IIP; fbp reads a node name).
 * - Accepted here, refused by fbp: tabs, `a->b` with no space after a bare name, an index on an
 *   exported port, the capacity arrow.
 * - Refused here, accepted by fbp: a quoted IIP running over several lines, a JSON IIP whose
 *   arrow is on the next line.
 * - Named differently: anonymous nodes with several runs of punctuation in the component
 *   (`(my-lib/Foo)` is `_my_lib_Foo_1`, fbp says `_my_lib/Foo_1`); annotation values lose
 *   trailing blanks.
 *
 * Capacity extension: `-(N)->` with N a positive integer (blanks allowed inside the parens);
 * anything else between the parens is E_CAPACITY at its first character, and a capacity on
 * an IIP's arrow is E_CAPACITY at the arrow. The arrow needs a space before it when it follows
 * a name (`OUT -(4)->`), since `-` may be part of a name.
 */
import type { Diagnostic, DiagnosticCode } from '../diagnostic.ts';
import { emptyGraph, setOwn, type ExportedPort, type Graph, type PortRef, type SourceSpan } from '../graph.ts';
import {
  checkNode,
  checkPortName,
  StatementError,
  toElement,
  toParts,
  type Element,
  type NodePart,
  type PortPart,
  type Role,
} from './chain.ts';
import { lexFbp, type Token } from './lexer.ts';
import { NodeTable } from './nodes.ts';

export function parseFbp(text: string, file?: string): { graph: Graph; diagnostics: Diagnostic[] } {
  const { tokens, diagnostics } = lexFbp(text, file);
  const parser = new FbpParser(file, diagnostics);
  let statement: Token[] = [];
  for (const tok of tokens) {
    if (tok.kind === 'newline' || tok.kind === 'comma' || tok.kind === 'eof') {
      if (statement.length > 0) parser.statement(statement);
      else if (tok.kind === 'comma') parser.report(tok, "empty statement before ','");
      statement = [];
    } else {
      statement.push(tok);
    }
  }
  return parser.finish();
}

class FbpParser {
  private readonly graph: Graph;
  private readonly nodes: NodeTable;
  private defaultIn = 'IN';
  private defaultOut = 'OUT';

  constructor(
    private readonly file: string | undefined,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.graph = emptyGraph(file);
    this.nodes = new NodeTable(file, diagnostics);
  }

  span(tok: Token): SourceSpan {
    const { line, col } = tok;
    return this.file === undefined ? { line, col } : { file: this.file, line, col };
  }

  report(tok: Token, message: string, code: DiagnosticCode = 'E_PARSE'): void {
    this.diagnostics.push({ code, message, span: this.span(tok) });
  }

  statement(toks: Token[]): void {
    if (toks.some((t) => t.kind === 'bad')) return; // the lexer already reported it
    try {
      const first = toks[0];
      if (first.kind === 'annotation') this.annotation(first);
      else if (first.kind === 'word' && toks[1]?.kind === 'equals' && !toks[1].spaceBefore) {
        this.directive(toks);
      }
      else this.chain(toks);
    } catch (err) {
      if (err instanceof StatementError) this.report(err.tok, err.message, err.code);
      // A bug here must not turn into an exception for the caller; it still shows.
      else this.report(toks[0], `internal error in the .fbp parser on this statement: ${String(err)}`);
    }
  }

  private annotation(tok: Token): void {
    const key = tok.key!;
    const value = tok.value as string;
    if (key === 'runtime') this.graph.properties.environment = { type: value };
    else setOwn(this.graph.properties, key, value);
  }

  private directive(toks: Token[]): void {
    const keyword = toks[0];
    const rest = toks.slice(2);
    switch (keyword.text) {
      case 'INPORT':
      case 'OUTPORT':
        return this.exportStatement(keyword, rest);
      case 'DEFAULT_INPORT':
      case 'DEFAULT_OUTPORT': {
        const name = rest[0];
        if (!name || name.kind !== 'word' || name.spaceBefore || rest.length > 1) {
          throw new StatementError(name ?? keyword, `expected ${keyword.text}=PORT`);
        }
        checkPortName(name);
        if (keyword.text === 'DEFAULT_INPORT') this.defaultIn = name.text;
        else this.defaultOut = name.text;
        return;
      }
      default:
        throw new StatementError(
          keyword,
          keyword.text === 'EXPORT'
            ? "EXPORT= is no longer part of the language: use INPORT=Node.PORT:NAME or OUTPORT=Node.PORT:NAME"
            : `unknown directive '${keyword.text}=': ` +
              'expected INPORT=, OUTPORT=, DEFAULT_INPORT= or DEFAULT_OUTPORT=',
        );
    }
  }

  /** `INPORT=Node.PORT[i]:NAME`, where Node may carry a (Component). No spaces inside. */
  private exportStatement(keyword: Token, rest: Token[]): void {
    const form = `${keyword.text}=Node.PORT:NAME`;
    const at = (i: number, kind: Token['kind'], what: string): Token => {
      const tok = rest[i];
      if (!tok || tok.kind !== kind || tok.spaceBefore) {
        throw new StatementError(tok ?? rest[rest.length - 1] ?? keyword, `expected ${what} in ${form}`);
      }
      return tok;
    };
    const head = rest[0];
    if (!head || head.spaceBefore) {
      throw new StatementError(head ?? keyword, `expected a node after '=' in ${form}`);
    }
    let node: NodePart;
    let port: Token;
    let i: number;
    if (head.kind === 'word' && head.text.includes('.')) {
      const dot = head.text.indexOf('.');
      node = { tok: head, name: { ...head, text: head.text.slice(0, dot) } };
      port = { ...head, text: head.text.slice(dot + 1), col: head.col + dot + 1 };
      i = 1;
    } else if (head.kind === 'word' || head.kind === 'component') {
      i = 0;
      if (head.kind === 'word') {
        node = { tok: head, name: head, comp: at(1, 'component', "'.PORT' after the node name") };
        i = 2;
      } else {
        node = { tok: head, comp: head };
        i = 1;
      }
      at(i, 'dot', "'.' after the node");
      port = at(i + 1, 'word', 'a port name');
      i += 2;
    } else {
      throw new StatementError(head, `expected a node after '=' in ${form}`);
    }
    checkPortName(port);
    let index: number | undefined;
    if (rest[i]?.kind === 'index') index = rest[i++].index;
    at(i, 'colon', "':NAME'");
    const name = at(i + 1, 'word', 'the exported name');
    checkPortName(name);
    if (rest[i + 2]) {
      const extra = rest[i + 2];
      const message =
        extra.kind === 'index' ? 'an exported name has no index' : `unexpected '${extra.text}' after ${form}`;
      throw new StatementError(extra, message);
    }
    checkNode(node);
    const key = this.useNode(node, false);
    const exported: ExportedPort = {
      name: name.text,
      node: key,
      port: port.text,
      ...(index === undefined ? {} : { index }),
      metadata: {},
      span: this.span(keyword),
    };
    (keyword.text === 'INPORT' ? this.graph.inports : this.graph.outports).push(exported);
  }

  private chain(toks: Token[]): void {
    const groups: Token[][] = [[]];
    const arrows: Token[] = [];
    for (const tok of toks) {
      if (tok.kind === 'arrow') {
        arrows.push(tok);
        groups.push([]);
      } else {
        groups[groups.length - 1].push(tok);
      }
    }
    if (groups[0].length === 0) {
      throw new StatementError(arrows[0], "'->' needs a source before it: 'Node PORT' or an IIP");
    }
    for (let i = 1; i < groups.length; i++) {
      if (groups[i].length === 0) {
        const message = "'->' must be followed by a port and a node ('-> PORT Node')";
        throw new StatementError(arrows[i - 1], message);
      }
    }
    const n = groups.length;
    const elements = groups.map((g, i) => {
      const role: Role = n === 1 ? 'only' : i === 0 ? 'first' : i === n - 1 ? 'last' : 'middle';
      return toElement(toParts(g), role);
    });
    // The statement is well formed: only now does it change the graph.
    const keys = elements.map((e) => (e.kind === 'node' ? this.useNode(e.node, true) : ''));
    for (let i = 0; i + 1 < n; i++) {
      const src = elements[i];
      const dst = elements[i + 1] as Extract<Element, { kind: 'node' }>;
      const arrow = arrows[i];
      const to = this.portRef(keys[i + 1], dst.node, dst.in, this.defaultIn);
      if (src.kind === 'iip') {
        if (arrow.capacity !== undefined) {
          const message = 'a capacity belongs on an edge between ports; an IIP is delivered once';
          this.report(arrow, message, 'E_CAPACITY');
        }
        const span = this.span(src.tok);
        this.graph.iips.push({ data: src.data, fromText: src.fromText, to, metadata: {}, span });
      } else {
        const from = this.portRef(keys[i], src.node, src.out, this.defaultOut);
        this.graph.edges.push({
          from,
          to,
          ...(arrow.capacity === undefined ? {} : { capacity: arrow.capacity }),
          metadata: {},
          span: from.span,
        });
      }
    }
  }

  private portRef(key: string, node: NodePart, port: PortPart | undefined, fallback: string): PortRef {
    if (!port) return { node: key, port: fallback, span: this.span(node.tok) };
    return {
      node: key,
      port: port.tok.text,
      ...(port.index ? { index: port.index.index } : {}),
      span: this.span(port.tok),
    };
  }

  /** Record a node mention; the statement has been checked, so this cannot fail. */
  private useNode(part: NodePart, byConnection: boolean): string {
    return this.nodes.use(
      {
        ...(part.name ? { name: part.name.text } : {}),
        ...(part.comp ? { component: part.comp.component, compAt: this.span(part.comp) } : {}),
        at: this.span(part.tok),
      },
      byConnection,
    );
  }

  finish(): { graph: Graph; diagnostics: Diagnostic[] } {
    this.nodes.finish(this.graph);
    const diagnostics = this.diagnostics
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d.span!.line - b.d.span!.line || a.d.span!.col - b.d.span!.col || a.i - b.i)
      .map((x) => x.d);
    return { graph: this.graph, diagnostics };
  }
}
