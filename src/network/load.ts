/**
 * Load: from a graph file (or text) to a resolved, flat graph ready to run, or diagnostics.
 *
 * Steps: 1. parse by extension (`.json` → NoFlo JSON, anything else → `.fbp`);
 *        2. load every component the graph names (subnets recursively, each validated in
 *           its own file);
 *        3. validate against the loaded port declarations;
 *        4. inline subnets (flatten.ts).
 * Nothing here throws on bad input: problems come back as diagnostics. A component module
 * that fails to load is a WeftError (E_COMPONENT) carrying the file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WeftError } from '../errors.ts';
import type { Diagnostic } from '../graph/diagnostic.ts';
import { parseFbp } from '../graph/fbp/parser.ts';
import type { Graph } from '../graph/graph.ts';
import { parseJsonGraph } from '../graph/json.ts';
import { validate } from '../graph/validate.ts';
import { flatten } from './flatten.ts';
import type { Registry } from './registry.ts';

export interface Prepared {
  /** The resolved, flat graph (meaningful only without diagnostics). */
  graph: Graph;
  diagnostics: Diagnostic[];
}

/** Parse graph text; the format comes from the file name (`.json`), or from the text itself. */
export function parseGraph(text: string, file?: string): { graph: Graph; diagnostics: Diagnostic[] } {
  const isJson = file ? path.extname(file).toLowerCase() === '.json' : text.trimStart().startsWith('{');
  return isJson ? parseJsonGraph(text, file) : parseFbp(text, file);
}

export async function readGraphFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new WeftError('E_USAGE', `cannot read graph ${file}: ${why}`);
  }
}

/** Load components, validate and flatten an already parsed graph. */
export async function prepareGraph(graph: Graph, registry: Registry, stack: string[] = []): Promise<Prepared> {
  installSubnetLoader(registry);
  for (const name of new Set(graph.nodes.map((n) => n.component))) await registry.load(name, stack);
  const { graph: resolved, diagnostics } = validate(graph, registry.lookup());
  if (diagnostics.length > 0) return { graph: resolved, diagnostics };
  const flat = flatten(resolved, (c) => {
    const e = registry.entry(c);
    return e?.kind === 'graph' ? e.graph : undefined;
  });
  return { graph: flat, diagnostics: [] };
}

/** Read, parse and prepare a graph file. */
export async function loadGraphFile(file: string, registry: Registry, stack: string[] = []): Promise<Prepared> {
  const text = await readGraphFile(file);
  const parsed = parseGraph(text, file);
  if (parsed.diagnostics.length > 0) return parsed;
  return prepareGraph(parsed.graph, registry, stack);
}

/** Let the registry load graph files as subnets (parse, load components, validate, flatten). */
export function installSubnetLoader(registry: Registry): void {
  registry.subnetLoader ??= (file, reg, stack) => loadGraphFile(file, reg, stack);
}
