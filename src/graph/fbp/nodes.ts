/**
 * NodeTable: the .fbp parser's record of node mentions, turned into `graph.nodes` at the end.
 *
 * A node can be mentioned many times (`A`, `A()`, `A(Comp)`, `A(:x=1)`) and declared at any of
 * them, before or after its other uses, so nodes are only known once the whole text is read.
 *
 * Invariants:
 * - A node has at most one component: a second, different one is E_GRAPH at the second.
 * - Metadata from all mentions is merged; the same key with two values is E_GRAPH. `x` and `y`
 *   must be non-negative integers and become numbers (fbp uses parseFloat, turning `x=abc`
 *   into NaN).
 * - Node order is the order of the first mention with parentheses, as in fbp.
 * - Anonymous nodes `(core/Split)` get fbp-style ids `_core_Split_1`, `_core_Split_2`, ... in
 *   text order, skipping ids the text uses. Unlike fbp (which replaces only the first run),
 *   every run of characters other than letters and digits becomes `_`, so the id is always a
 *   valid node name: fbp names `(my-lib/Foo)` `_my_lib/Foo_1`, we name it `_my_lib_Foo_1`.
 * - finish() reports each node used in an edge or IIP but never given a component
 *   (E_UNKNOWN_NODE, at its first mention), each export of such a node, and each export name
 *   used twice in one direction, ignoring case (E_EXPORT).
 */
import type { Diagnostic } from '../diagnostic.ts';
import { setOwn, type ExportedPort, type Graph, type SourceSpan } from '../graph.ts';
import type { ComponentText } from './lexer.ts';

export interface NodeMention {
  /** The node name; absent for an anonymous `(Component)`, which must have a component. */
  name?: string;
  /** Present when the mention has parentheses: `Name(...)`, `Name()`, `(...)`. */
  component?: ComponentText;
  /** Where the mention starts, and where its `(` is. */
  at: SourceSpan;
  compAt?: SourceSpan;
}

interface NodeState {
  /** The node id; for anonymous nodes a placeholder until finish() names them. */
  key: string;
  anonymousOf?: string;
  component?: string;
  span?: SourceSpan;
  order?: number;
  firstUse: SourceSpan;
  usedByConnection: boolean;
  metadata: Record<string, unknown>;
}

/** Cannot occur in a node name, so placeholders never collide with real ids. */
const ANON = '\u0000anonymous:';

export class NodeTable {
  private readonly nodes = new Map<string, NodeState>();
  private anonymous = 0;
  private declared = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** Record a mention (and a declaration, if it has a component); returns the node's key. */
  use(m: NodeMention, byConnection: boolean): string {
    let state: NodeState | undefined = m.name === undefined ? undefined : this.nodes.get(m.name);
    if (!state) {
      const key = m.name ?? `${ANON}${this.anonymous++}`;
      state = { key, firstUse: m.at, usedByConnection: false, metadata: {} };
      if (m.name === undefined) state.anonymousOf = m.component?.name ?? '';
      this.nodes.set(key, state);
    }
    state.usedByConnection ||= byConnection;
    const comp = m.component;
    if (!comp) return state.key;
    state.order ??= this.declared++;
    if (comp.name !== '') {
      if (state.component === undefined) {
        state.component = comp.name;
        state.span = m.at;
      } else if (state.component !== comp.name) {
        this.diagnostics.push({
          code: 'E_GRAPH',
          message:
            `node '${state.key}' is already declared as '${state.component}' ` +
            `(at ${state.span!.line}:${state.span!.col}); a node has one component`,
          span: m.compAt ?? m.at,
        });
      }
    }
    for (const entry of comp.meta) {
      const span = this.spanAt(entry);
      let value: unknown = entry.value;
      if (entry.key === 'x' || entry.key === 'y') {
        if (!/^[0-9]+$/.test(entry.value)) {
          const message = `node metadata '${entry.key}' must be a number, got '${entry.value}'`;
          this.diagnostics.push({ code: 'E_PARSE', message, span });
          continue;
        }
        value = Number(entry.value);
      }
      const old = Object.hasOwn(state.metadata, entry.key) ? state.metadata[entry.key] : undefined;
      if (old !== undefined && old !== value) {
        this.diagnostics.push({
          code: 'E_GRAPH',
          message: `metadata '${entry.key}' of node '${state.key}' is set twice ('${old}' and '${value}')`,
          span,
        });
      }
      setOwn(state.metadata, entry.key, value);
    }
    return state.key;
  }

  private spanAt(pos: { line: number; col: number }): SourceSpan {
    const { line, col } = pos;
    return this.file === undefined ? { line, col } : { file: this.file, line, col };
  }

  /** Name anonymous nodes, fill `graph.nodes`, and report what is undeclared or duplicated. */
  finish(graph: Graph): void {
    const byId = new Map<string, NodeState>();
    const counters = new Map<string, number>();
    for (const state of this.nodes.values()) {
      if (state.anonymousOf !== undefined) {
        const base = `_${state.anonymousOf.replace(/[^a-zA-Z0-9]+/g, '_')}_`;
        let n = counters.get(base) ?? 0;
        do n++;
        while (this.nodes.has(`${base}${n}`) || byId.has(`${base}${n}`));
        counters.set(base, n);
        state.key = `${base}${n}`;
      }
      byId.set(state.key, state);
    }
    const fix = (key: string) => this.nodes.get(key)?.key ?? key;
    for (const e of graph.edges) {
      e.from.node = fix(e.from.node);
      e.to.node = fix(e.to.node);
    }
    for (const iip of graph.iips) iip.to.node = fix(iip.to.node);

    const states = [...byId.values()];
    graph.nodes = states
      .filter((s) => s.component !== undefined)
      .sort((a, b) => a.order! - b.order!)
      .map((s) => ({ id: s.key, component: s.component!, metadata: s.metadata, span: s.span }));
    for (const s of states) {
      if (s.component !== undefined || !s.usedByConnection) continue;
      this.diagnostics.push({
        code: 'E_UNKNOWN_NODE',
        message: `node '${s.key}' is used but never declared with a component`,
        span: s.firstUse,
        hint: `declare it once, at any mention: ${s.key}(collection/Component)`,
      });
    }
    for (const [kind, list] of [['inport', graph.inports], ['outport', graph.outports]] as const) {
      const seen = new Map<string, ExportedPort>();
      for (const exp of list) {
        exp.node = fix(exp.node);
        if (byId.get(exp.node)?.component === undefined) {
          this.diagnostics.push({
            code: 'E_EXPORT',
            message: `exported ${kind} '${exp.name}' refers to node '${exp.node}', which is never declared`,
            span: exp.span,
          });
        }
        const prev = seen.get(exp.name.toLowerCase());
        if (prev) {
          this.diagnostics.push({
            code: 'E_EXPORT',
            message: `${kind} '${exp.name}' is exported twice (first at ${prev.span!.line}:${prev.span!.col})`,
            span: exp.span,
          });
        } else {
          seen.set(exp.name.toLowerCase(), exp);
        }
      }
    }
  }
}
