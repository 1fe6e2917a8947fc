/**
 * printDot: Graph → Graphviz `dot` text, for looking at a graph (`dot -Tsvg`).
 *
 * Shapes: one box per node, labelled `id\n(component)`; one small `note` per IIP, labelled
 * with its data (text as written, other values as JSON, shortened to 32 characters), with an
 * edge to its target port; one `plaintext` node per exported port, joined by a dashed edge.
 * Edge labels name the ports (`OUT[1] -> IN`) and, when set, the capacity (`cap 4`).
 *
 * Invariants: the output is a pure function of the graph (same graph, same text). Graph nodes
 * keep their ids as dot ids (quoted); IIP and export nodes get ids (`iip:0`, `inport:NAME`)
 * that are made unique against the graph's own ids. Every string is quoted and escaped.
 */
import type { Graph } from './graph.ts';

const MAX_LABEL = 32;

export function printDot(graph: Graph): string {
  const taken = new Set(graph.nodes.map((n) => n.id));
  const fresh = (base: string): string => {
    let id = base;
    while (taken.has(id)) id = `${id}'`;
    taken.add(id);
    return id;
  };
  const port = (p: { port: string; index?: number }) =>
    p.index === undefined ? p.port : `${p.port}[${p.index}]`;

  const name = typeof graph.properties.name === 'string' ? graph.properties.name : 'graph';
  const lines: string[] = [
    `digraph ${q(name)} {`,
    '  rankdir=LR;',
    '  node [shape=box, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const n of graph.nodes) lines.push(`  ${q(n.id)} [label=${q(`${n.id}\n(${n.component})`)}];`);

  graph.iips.forEach((iip, i) => {
    const id = fresh(`iip:${i}`);
    lines.push(`  ${q(id)} [shape=note, fontsize=9, label=${q(shorten(iipText(iip.data, iip.fromText)))}];`);
    lines.push(`  ${q(id)} -> ${q(iip.to.node)} [label=${q(port(iip.to))}];`);
  });
  for (const e of graph.edges) {
    const label = `${port(e.from)} -> ${port(e.to)}${e.capacity === undefined ? '' : `\ncap ${e.capacity}`}`;
    lines.push(`  ${q(e.from.node)} -> ${q(e.to.node)} [label=${q(label)}];`);
  }
  for (const e of graph.inports) {
    const id = fresh(`inport:${e.name}`);
    lines.push(`  ${q(id)} [shape=plaintext, label=${q(e.name)}];`);
    lines.push(`  ${q(id)} -> ${q(e.node)} [style=dashed, label=${q(port(e))}];`);
  }
  for (const e of graph.outports) {
    const id = fresh(`outport:${e.name}`);
    lines.push(`  ${q(id)} [shape=plaintext, label=${q(e.name)}];`);
    lines.push(`  ${q(e.node)} -> ${q(id)} [style=dashed, label=${q(port(e))}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function iipText(data: unknown, fromText: boolean): string {
  if (fromText && typeof data === 'string') return `'${data}'`;
  try {
    return JSON.stringify(data) ?? String(data);
  } catch {
    return String(data);
  }
}

function shorten(s: string): string {
  const chars = [...s];
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : s;
}

/** A dot double-quoted string; a line break becomes dot's centred line break `\n`. */
function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|[\n\r\u2028\u2029]/g, '\\n')}"`;
}
