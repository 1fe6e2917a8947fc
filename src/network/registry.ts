/**
 * Registry: component lookup by name (`collection/Name`).
 *
 * Order: the built-in collections first, then each components directory in the order given,
 * as `DIR/<collection>/<Name>.{ts,mts,js,mjs}` (a module whose default export is a component)
 * or `DIR/<collection>/<Name>.{fbp,json}` (a graph used as a subnet through its exported
 * ports). TypeScript modules load without a build step when the process runs under tsx (the
 * `weft` command registers it).
 *
 * Loading is async (modules are imported, graph files read); lookups for validation are sync
 * over what was loaded. `load()` caches, so a component used by many nodes loads once, and it
 * keeps going through subnets recursively (a subnet that uses itself is an error).
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isComponent, type Component } from '../component/define.ts';
import type { PortDecl } from '../component/port.ts';
import { WeftError } from '../errors.ts';
import type { Diagnostic } from '../graph/diagnostic.ts';
import { setOwn, type Graph } from '../graph/graph.ts';
import type { ComponentLookup, ComponentShape, PortShape } from '../graph/validate.ts';

export type RegistryEntry =
  | { kind: 'component'; name: string; component: Component; file?: string }
  /** A subnet: `graph` is validated and flat (its own subnets inlined). */
  | { kind: 'graph'; name: string; graph: Graph; file: string; shape: ComponentShape };

const MODULE_EXTS = ['.ts', '.mts', '.js', '.mjs'];
const GRAPH_EXTS = ['.fbp', '.json'];

/** Loads a graph file as a subnet: parse, load its components, validate, flatten. */
export type SubnetLoader = (file: string, registry: Registry, stack: string[]) => Promise<{ graph: Graph; diagnostics: Diagnostic[] }>;

export class Registry {
  private readonly builtins: Record<string, Component>;
  private readonly dirs: string[] = [];
  private readonly loaded = new Map<string, RegistryEntry | null>();
  subnetLoader: SubnetLoader | null = null;

  constructor(builtins: Record<string, Component> = {}, directories: string[] = []) {
    this.builtins = builtins;
    for (const d of directories) this.addDirectory(d);
  }

  addDirectory(dir: string): void {
    const abs = path.resolve(dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      throw new WeftError('E_USAGE', `components directory not found: ${dir}`);
    }
    this.dirs.push(abs);
  }

  /** The components directories, in search order. */
  get directories(): readonly string[] {
    return this.dirs;
  }

  /** Whether `name` is one of the built-in components (a worker thread finds it too). */
  isBuiltin(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.builtins, name);
  }

  /** Register a component from code (tests, embedding). */
  add(name: string, component: Component): void {
    if (!isComponent(component)) throw new WeftError('E_COMPONENT', `${name}: not a component (use defineComponent)`);
    this.loaded.set(name, { kind: 'component', name, component });
  }

  /** The file a name would load from, if any. */
  findFile(name: string): string | undefined {
    const slash = name.indexOf('/');
    if (slash <= 0 || slash === name.length - 1 || name.includes('..') || name.indexOf('/', slash + 1) >= 0) return undefined;
    for (const dir of this.dirs) {
      for (const ext of [...MODULE_EXTS, ...GRAPH_EXTS]) {
        const f = path.join(dir, name + ext);
        // A dangling link counts as found: loading it says what is wrong with it.
        if (existsSync(f) || isLink(f)) return f;
      }
    }
    return undefined;
  }

  /** Load a component or subnet by name; undefined when nothing has that name. */
  async load(name: string, stack: string[] = []): Promise<RegistryEntry | undefined> {
    if (this.loaded.has(name)) return this.loaded.get(name) ?? undefined;
    const builtin = Object.prototype.hasOwnProperty.call(this.builtins, name) ? this.builtins[name] : undefined;
    let entry: RegistryEntry | null = null;
    if (builtin) entry = { kind: 'component', name, component: builtin };
    else {
      const file = this.findFile(name);
      if (file && GRAPH_EXTS.includes(path.extname(file))) entry = await this.loadSubnet(name, file, stack);
      else if (file) entry = await loadModule(name, file);
    }
    this.loaded.set(name, entry);
    return entry ?? undefined;
  }

  private async loadSubnet(name: string, file: string, stack: string[]): Promise<RegistryEntry> {
    if (stack.includes(file)) {
      throw new WeftError('E_COMPONENT', `subnet ${name} (${file}) uses itself: ${[...stack, file].join(' -> ')}`);
    }
    if (!this.subnetLoader) throw new WeftError('E_INTERNAL', 'no subnet loader installed');
    const { graph, diagnostics } = await this.subnetLoader(file, this, [...stack, file]);
    if (diagnostics.length > 0) throw new SubnetError(name, file, diagnostics);
    return { kind: 'graph', name, graph, file, shape: subnetShape(graph, (n) => this.shapeOf(n)) };
  }

  /** Shape of a loaded entry, for validation. */
  shapeOf(name: string): ComponentShape | undefined {
    const e = this.loaded.get(name);
    if (!e) return undefined;
    return e.kind === 'graph' ? e.shape : componentShape(e.component);
  }

  /** Every name that could be loaded (for suggestions and `weft components`). */
  names(): string[] {
    const out = new Set<string>(Object.keys(this.builtins));
    for (const [n, e] of this.loaded) if (e) out.add(n);
    for (const dir of this.dirs) {
      for (const coll of safeReaddir(dir)) {
        const cdir = path.join(dir, coll);
        if (!isDir(cdir)) continue;
        for (const f of safeReaddir(cdir)) {
          const ext = path.extname(f);
          if (f.includes('.test.')) continue;
          if (MODULE_EXTS.includes(ext) || GRAPH_EXTS.includes(ext)) out.add(`${coll}/${f.slice(0, -ext.length)}`);
        }
      }
    }
    return [...out].sort();
  }

  /** A sync lookup over what is loaded, as validate() wants it. */
  lookup(): ComponentLookup {
    return { get: (n) => this.shapeOf(n), names: () => this.names() };
  }

  /** The loaded entry, for building the network. */
  entry(name: string): RegistryEntry | undefined {
    return this.loaded.get(name) ?? undefined;
  }
}

/** Diagnostics of a subnet's own file, carried to the top so the CLI prints them. */
export class SubnetError extends WeftError {
  readonly diagnostics: Diagnostic[];
  readonly file: string;
  constructor(name: string, file: string, diagnostics: Diagnostic[]) {
    super('E_GRAPH', `subnet ${name} (${file}) is not valid`);
    this.diagnostics = diagnostics;
    this.file = file;
  }
}

function isLink(f: string): boolean {
  try {
    return lstatSync(f).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Why `file` cannot be a module, or null when it is a readable file. */
function notAFile(file: string): string | null {
  try {
    if (statSync(file).isDirectory()) return 'it is a directory, not a module';
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return isLink(file) ? 'it is a link to a file that does not exist' : 'no such file';
    return (e as Error).message;
  }
}

let prepare: (() => Promise<void>) | null = null;
let prepared: Promise<void> | null = null;

/**
 * Run `fn` once, before the first component module is imported from a file: weft running
 * from a plain-JavaScript bundle (bundle/cache.mjs: the `weft` command, its workers) registers
 * tsx there.
 */
export function beforeUserImport(fn: () => Promise<void>): void {
  prepare = fn;
  prepared = null;
}

async function loadModule(name: string, file: string): Promise<RegistryEntry> {
  const why = notAFile(file);
  if (why !== null) throw new WeftError('E_COMPONENT', `cannot load component ${name} from ${file}: ${why}`);
  let mod: Record<string, unknown>;
  try {
    if (prepare !== null) await (prepared ??= prepare());
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    throw new WeftError('E_COMPONENT', `cannot load component ${name} from ${file}: ${(e as Error)?.message ?? e}`, { cause: e });
  }
  let c = mod.default;
  // A TypeScript file outside an ES-module package is compiled to CommonJS: its
  // `export default` arrives as `module.exports.default` (tsx unwraps that in the modules it
  // compiles; a worker's bundled runtime imports natively).
  if (!isComponent(c) && typeof c === 'object' && c !== null && isComponent((c as { default?: unknown }).default)) c = (c as { default: unknown }).default;
  if (!isComponent(c)) {
    throw new WeftError('E_COMPONENT', `${file}: the default export is not a component (export default defineComponent({ ... }))`);
  }
  return { kind: 'component', name, component: c, file };
}

export function componentShape(c: Component): ComponentShape {
  const side = (ports: Record<string, PortDecl>) => {
    const out: Record<string, PortShape> = {};
    for (const [n, d] of Object.entries(ports)) {
      out[n] = { type: d.type, isArray: d.isArray, required: d.required, hasDefault: d.hasDefault, ...(d.fields ? { fields: d.fields } : {}) };
    }
    return out;
  };
  // Out-ports are never required (port.ts): an unconnected one refuses sends.
  const outPorts = side(c.outPorts);
  for (const p of Object.values(outPorts)) p.required = false;
  return { inPorts: side(c.inPorts), outPorts };
}

/** A subnet's ports are its exported ports, shaped like the inner ports they expose. */
function subnetShape(graph: Graph, shapeOf: (component: string) => ComponentShape | undefined): ComponentShape {
  const nodeComp = new Map(graph.nodes.map((n) => [n.id, n.component]));
  const pick = (node: string, port: string, dir: 'inPorts' | 'outPorts', index: number | undefined): PortShape => {
    const comp = nodeComp.get(node);
    const inner = comp ? shapeOf(comp)?.[dir][port] : undefined;
    const shape = inner ?? { type: 'any', isArray: false, required: false, hasDefault: false };
    return index === undefined ? shape : { ...shape, isArray: false };
  };
  const inPorts: Record<string, PortShape> = {};
  const outPorts: Record<string, PortShape> = {};
  for (const p of graph.inports) setOwn(inPorts, p.name.toLowerCase(), pick(p.node, p.port, 'inPorts', p.index));
  for (const p of graph.outports) setOwn(outPorts, p.name.toLowerCase(), pick(p.node, p.port, 'outPorts', p.index));
  return { inPorts, outPorts };
}

function safeReaddir(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}
function isDir(d: string): boolean {
  try {
    return statSync(d).isDirectory();
  } catch {
    return false;
  }
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
