/**
 * weft's public API: the only import path for users, the CLI and tools.
 *
 *   import { defineComponent, port, run } from 'weft';
 *
 * Authoring: defineComponent, port, and the port/IP types. Graphs: the loaders, printers and
 * validation. Running: run() / createNetwork(), Network, RunResult and the reports. The
 * standard components are `builtins` (and resolve by name in graphs: `core/Output`, ...).
 */
import { builtins } from '../components/index.ts';
import type { Graph } from './graph/graph.ts';
import type { Network, RunResult } from './network/network.ts';
import { installSubnetLoader } from './network/load.ts';
import { NetworkBuilder } from './network/builder.ts';
import { Registry } from './network/registry.ts';
import { createNetwork as create, loadForRun, runGraph, type RunOptions } from './network/run.ts';
import { MultiNetwork } from './worker/multi-network.ts';

export { defineComponent, isComponent } from './component/define.ts';
export type {
  BoxContext,
  Component,
  InPort,
  InPorts,
  LooperComponent,
  NonLooperComponent,
  NonLooperContext,
  OutPort,
  OutPorts,
  SyncOutPort,
  SyncOutPorts,
  TextSink,
} from './component/define.ts';
export { port } from './component/port.ts';
export type { ArenaView, ArenaViewType, Json, PortDecl, PortTypeName } from './component/port.ts';
export type { ArenaStats } from './shm/arena.ts';
export { DEFAULT_ARENA_BYTES, MAX_ARENA_BYTES, MIN_ARENA_BYTES, formatBytes } from './shm/arena.ts';
export type { BracketIP, DataIP, IP } from './ip/ip.ts';
export { WeftError, isWeftError } from './errors.ts';
export type { ErrorCode } from './errors.ts';

export type { Diagnostic, DiagnosticCode } from './graph/diagnostic.ts';
export { formatDiagnostic } from './graph/diagnostic.ts';
export type { Edge, ExportedPort, Graph, IIP, Node, PortRef, SourceSpan } from './graph/graph.ts';
export { emptyGraph, formatEdge } from './graph/graph.ts';
export { parseFbp } from './graph/fbp/parser.ts';
export { printFbp } from './graph/fbp/print.ts';
export { parseJsonGraph, toJson } from './graph/json.ts';
export { printDot } from './graph/dot.ts';
export { MAX_ARRAY_ELEMENTS, MAX_EDGE_CAPACITY, validate } from './graph/validate.ts';
export { parseGraph, readGraphFile } from './network/load.ts';

export { Network, EXIT_CODES } from './network/network.ts';
export { MultiNetwork, defaultWorkers } from './worker/multi-network.ts';
export { explainPlacement, place } from './placement/placement.ts';
export type { Placement } from './placement/placement.ts';
export type { BoxFailure, BoxStats, ConnectionStats, NetworkStats, RunResult, RunStatus } from './network/network.ts';
export { formatDeadlock } from './network/termination.ts';
export type { DeadlockReport, WaitInfo } from './network/termination.ts';
export { Registry, SubnetError, beforeUserImport, componentShape } from './network/registry.ts';
export { GraphError, MAX_WORKER_HEAP_MIB, MAX_WORKERS, MIN_WORKER_HEAP_MIB } from './network/run.ts';
export { NetworkBuilder } from './network/builder.ts';
export type { RunOptions } from './network/run.ts';
export { DEFAULT_BUDGET, DEFAULT_CAPACITY } from './scheduler/tuning.ts';
export { builtins };

/** A registry with the standard components and the given components directories. */
export function createRegistry(directories: string[] = []): Registry {
  const registry = new Registry(builtins, directories);
  installSubnetLoader(registry);
  return registry;
}

function registryFor(opts: RunOptions): Registry {
  if (!opts.registry) return createRegistry(opts.components);
  for (const d of opts.components ?? []) opts.registry.addDirectory(d);
  return opts.registry;
}

/** A network ready to run, on this thread (Network) or on worker threads (MultiNetwork). */
export type RunnableNetwork = Network | MultiNetwork;

/** Load, validate and build a network (throws GraphError with diagnostics). */
export async function createNetwork(source: string | Graph, opts: RunOptions = {}): Promise<RunnableNetwork> {
  const registry = registryFor(opts);
  if ((opts.workers ?? 1) <= 1) return create(source, registry, opts);
  const graph = await loadForRun(source, registry, opts);
  return new MultiNetwork(graph, registry, { ...opts, workers: opts.workers!, components: [...registry.directories] });
}

/** Run a graph file or Graph to the end: the same function as `weft run`. */
export async function run(source: string | Graph, opts: RunOptions = {}): Promise<RunResult> {
  if ((opts.workers ?? 1) <= 1) return runGraph(source, registryFor(opts), opts);
  return (await createNetwork(source, opts)).run();
}

/**
 * Build a network from code: `network().node(...).connect(...).run()`. See network/builder.ts.
 * `run` and `create` take the same options as run(); components given as objects are added to
 * the registry for this network.
 */
export function network(): NetworkBuilder & {
  run(opts?: RunOptions): Promise<RunResult>;
  create(opts?: RunOptions): Promise<RunnableNetwork>;
} {
  const b = new NetworkBuilder();
  const withComponents = (opts: RunOptions): RunOptions => {
    const registry = registryFor(opts);
    for (const [name, c] of b.components) registry.add(name, c);
    return { ...opts, registry, components: [] };
  };
  return Object.assign(b, {
    run: (opts: RunOptions = {}) => run(b.toGraph(), withComponents(opts)),
    create: (opts: RunOptions = {}) => createNetwork(b.toGraph(), withComponents(opts)),
  });
}
