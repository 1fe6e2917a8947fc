/**
 * Diagnostic: one problem found in a graph (parse or validation), with where it is.
 *
 * Every loader and validator returns diagnostics instead of throwing on bad input; the CLI
 * prints them as `file:line:col: error[CODE]: message` and exits with code 2.
 */
import type { SourceSpan } from './graph.ts';

export type DiagnosticCode =
  | 'E_PARSE' // text is not valid .fbp / JSON syntax
  | 'E_GRAPH' // structurally wrong graph data (JSON of the wrong shape, duplicate node, ...)
  | 'E_UNKNOWN_NODE' // an edge or IIP names a node that does not exist
  | 'E_UNKNOWN_COMPONENT'
  | 'E_UNKNOWN_PORT'
  | 'E_ARRAY_INDEX' // index on a non-array port, or bad index
  | 'E_FANOUT' // one out-port element connected to several in-ports
  | 'E_UNCONNECTED' // required in-port left without edge or IIP
  | 'E_PORT_TYPE' // incompatible declared port types across an edge
  | 'E_IIP' // malformed IIP or IIP not convertible to the port type
  | 'E_CAPACITY' // capacity not a positive integer
  | 'E_EXPORT'; // exported port refers to something missing, or duplicate export

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  span?: SourceSpan;
  /** A suggestion ("did you mean ...", "use core/Split"). */
  hint?: string;
}

export function formatSpan(span: SourceSpan | undefined, fallbackFile?: string): string {
  const file = span?.file ?? fallbackFile ?? '<graph>';
  if (!span) return file;
  const at = span.line > 0 ? `${file}:${span.line}:${span.col}` : file;
  return span.path !== undefined ? `${at}: ${span.path}` : at;
}

/** `file:line:col: ` for an element's span, or nothing when it has none (graphs built in code). */
export function spanPrefix(span: SourceSpan | undefined): string {
  return span ? `${formatSpan(span)}: ` : '';
}

export function formatDiagnostic(d: Diagnostic, fallbackFile?: string): string {
  const where = formatSpan(d.span, fallbackFile);
  return `${where}: error[${d.code}]: ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}`;
}
