/**
 * Test helper (not part of the library): fast-check arbitraries for random graphs that the
 * .fbp language can express, used by the print round-trip and the fbp differential tests.
 *
 * Invariants of a generated graph: node ids are unique and valid .fbp names (never `true`,
 * `false` or `null`, which a chain would read as a JSON IIP); every edge, IIP and export names
 * an existing node; export names are unique per direction ignoring case; text IIPs are strings
 * with `fromText: true`, JSON IIPs are non-string JSON values with `fromText: false`; nothing
 * has a span. Options switch off what the fbp package cannot read (capacities, export
 * indices, top-level true/false/null IIPs).
 */
import fc from 'fast-check';
import type { Graph } from '../graph.ts';

export interface GraphOptions {
  /** Our extensions: edge capacities and indices on exported ports. */
  extensions: boolean;
}

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,7}$/).filter((s) => !/^(true|false|null)$/.test(s));
const component = fc.stringMatching(/^[A-Za-z0-9_-]{1,6}(\/[A-Za-z0-9_-]{1,8})?$/);
const portName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,6}$/);
const metaText = fc.stringMatching(/^[A-Za-z0-9_/]{1,6}$/);
const index = fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined });

/** IIP text: quotes, backslashes (also at the end), commas, arrows, `#`, line breaks, non-ASCII. */
const iipText = fc.string({
  unit: fc.constantFrom(...["'", '\\', '"', ' ', ',', '#', '-', '>', '(', ')', 'a', 'Z', '0', 'é', '→', '\n', '\t', '{', '[']),
  maxLength: 12,
});

function jsonValue(options: GraphOptions) {
  // Through JSON once so that -0 becomes 0 (JSON cannot tell them apart).
  return fc
    .jsonValue({ maxDepth: 2 })
    .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
    .filter((v) => typeof v !== 'string' && !JSON.stringify(v).includes('__proto__'))
    .filter((v) => options.extensions || (v !== true && v !== false && v !== null));
}

export function arbitraryGraph(options: GraphOptions): fc.Arbitrary<Graph> {
  const nodes = fc.uniqueArray(
    fc.record({
      id: name,
      component,
      metadata: fc
        .tuple(
          fc.dictionary(fc.stringMatching(/^[a-w][a-z0-9_/]{0,4}$/), metaText, { maxKeys: 2 }),
          fc.option(fc.record({ x: fc.nat(999), y: fc.nat(999) }), { nil: undefined }),
        )
        .map(([m, xy]) => ({ ...m, ...(xy ?? {}) }) as Record<string, unknown>),
    }),
    { selector: (n) => n.id, minLength: 1, maxLength: 6 },
  );
  const property = fc.stringMatching(/^[A-Za-z0-9_.-]([A-Za-z0-9_ .-]{0,8}[A-Za-z0-9_.-])?$/);
  const properties = fc
    .tuple(
      fc.dictionary(fc.stringMatching(/^[a-q][a-z0-9_-]{0,6}$/), property, { maxKeys: 3 }),
      fc.option(fc.stringMatching(/^[a-z][a-z-]{0,10}$/), { nil: undefined }),
    )
    .map(([props, runtime]) => ({ ...props, ...(runtime === undefined ? {} : { environment: { type: runtime } }) }) as Record<string, unknown>);

  return fc.tuple(nodes, properties).chain(([nodeList, props]) => {
    const ids = nodeList.map((n) => n.id);
    const ref = fc.record({ node: fc.constantFrom(...ids), port: portName, index }).map((r) => withoutUndefined(r));
    const edge = fc
      .record({ from: ref, to: ref, capacity: options.extensions ? fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }) : fc.constant(undefined) })
      .map((e) => withoutUndefined({ ...e, metadata: {} }));
    const iip = fc.oneof(
      fc.record({ data: iipText, fromText: fc.constant(true), to: ref }),
      fc.record({ data: jsonValue(options), fromText: fc.constant(false), to: ref }),
    ).map((i) => ({ ...i, metadata: {} }));
    const exported = fc.uniqueArray(
      fc
        .record({ name: portName, node: fc.constantFrom(...ids), port: portName, index: options.extensions ? index : fc.constant(undefined) })
        .map((e) => withoutUndefined({ ...e, metadata: {} })),
      { selector: (e) => e.name.toLowerCase(), maxLength: 3 },
    );
    return fc.record({
      edges: fc.array(edge, { maxLength: 8 }),
      iips: fc.array(iip, { maxLength: 5 }),
      inports: exported,
      outports: exported,
    }).map((parts): Graph => ({ properties: props, nodes: nodeList, ...parts }));
  });
}

function withoutUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** The graph without spans and without `file`, for comparing parse results with generated graphs. */
export function withoutSpans(graph: Graph): Graph {
  const strip = <T extends { span?: unknown }>(x: T): Omit<T, 'span'> => {
    const { span: _span, ...rest } = x;
    return rest;
  };
  return {
    properties: graph.properties,
    nodes: graph.nodes.map(strip),
    edges: graph.edges.map((e) => ({ ...strip(e), from: strip(e.from), to: strip(e.to) })),
    iips: graph.iips.map((i) => ({ ...strip(i), to: strip(i.to) })),
    inports: graph.inports.map(strip),
    outports: graph.outports.map(strip),
  };
}
