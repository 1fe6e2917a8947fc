/**
 * The one way to run a network, used by the `weft` command and by code alike:
 * `run(graphFileOrGraph, options)` loads, validates, builds and runs, and resolves with a
 * RunResult (finished, failed, deadlock, interrupted). Graph problems are thrown as a
 * GraphError carrying every diagnostic, before anything runs.
 */
import { MAX_CAPACITY } from '../connection/local-queue.ts';
import { MAX_ARENA_BYTES, MIN_ARENA_BYTES } from '../shm/arena.ts';
import { WeftError } from '../errors.ts';
import type { Diagnostic } from '../graph/diagnostic.ts';
import type { Graph } from '../graph/graph.ts';
import { buildNetwork, nodeBudget, nodeTimeout, type BuildOptions } from './build.ts';
import { replicasOf } from './parallel.ts';
import { loadGraphFile, prepareGraph } from './load.ts';
import { Network, type RunResult } from './network.ts';
import { Registry } from './registry.ts';

export interface RunOptions extends BuildOptions {
  /** Where components come from; default: a registry of `builtins` plus `components` dirs. */
  registry?: Registry;
  /** Extra components directories (`DIR/<collection>/<Name>.ts|.fbp`). */
  components?: string[];
  /**
   * Worker threads to run the boxes on (default 1: everything on this thread). With more,
   * boxes are placed over the workers and connections between them go through shared memory;
   * components must then be loadable by name (built-in or from a components directory).
   */
  workers?: number;
  /** Several workers: report a box holding its worker this long without a port operation (ms, default 1000). */
  watchdogMs?: number;
  /** Several workers, Linux: pin worker K to core K (worker/pin.ts); where it cannot, a warning says why. */
  pin?: boolean;
  /**
   * Several workers: each worker's heap limit, MiB (V8's old generation, `resourceLimits`
   * of the worker thread; default: V8's own). A worker that passes it dies of
   * ERR_WORKER_OUT_OF_MEMORY and the network fails, naming the worker and its boxes.
   */
  workerHeapMiB?: number;
  /** Where warnings go (default: stderr): the watchdog's, and arena blocks held at the end. */
  onWarning?: (text: string) => void;
}

/** More threads than this is a mistake, not a machine. */
export const MAX_WORKERS = 1024;
/**
 * Bounds of `workerHeapMiB`: below 16 MiB a worker cannot even load its components (tsx and
 * the runtime take about 10 MiB of heap); above 1 TiB is a typo.
 */
export const MIN_WORKER_HEAP_MIB = 16;
export const MAX_WORKER_HEAP_MIB = 1 << 20;

export class GraphError extends WeftError {
  readonly diagnostics: Diagnostic[];
  readonly file?: string;
  constructor(diagnostics: Diagnostic[], file?: string) {
    super('E_GRAPH', `${file ?? 'graph'}: ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}`);
    this.diagnostics = diagnostics;
    this.file = file;
  }
}

/** Options given by code or flags: clear errors instead of failures deep in the build. */
function checkOptions(opts: BuildOptions): void {
  const { capacity, budget } = opts;
  const workers = (opts as RunOptions).workers;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS)) {
    throw new WeftError('E_USAGE', `workers must be an integer in 1..${MAX_WORKERS}, got ${workers}`);
  }
  if (capacity !== undefined && (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY)) {
    throw new WeftError('E_USAGE', `capacity must be an integer in 1..${MAX_CAPACITY}, got ${capacity}`);
  }
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 1)) {
    throw new WeftError('E_USAGE', `budget must be a positive integer, got ${budget}`);
  }
  const heap = (opts as RunOptions).workerHeapMiB;
  if (heap !== undefined && (!Number.isInteger(heap) || heap < MIN_WORKER_HEAP_MIB || heap > MAX_WORKER_HEAP_MIB)) {
    throw new WeftError('E_USAGE', `workerHeapMiB must be an integer in ${MIN_WORKER_HEAP_MIB}..${MAX_WORKER_HEAP_MIB}, got ${heap}`);
  }
  const { arenaBytes } = opts;
  if (arenaBytes !== undefined && (!Number.isInteger(arenaBytes) || arenaBytes < MIN_ARENA_BYTES || arenaBytes > MAX_ARENA_BYTES)) {
    throw new WeftError('E_USAGE', `arenaBytes must be an integer from ${MIN_ARENA_BYTES} to ${MAX_ARENA_BYTES} (${MAX_ARENA_BYTES / 2 ** 20} MiB), got ${arenaBytes}`);
  }
}

/** Check the options, load, validate and flatten: the graph to run (throws GraphError). */
export async function loadForRun(source: string | Graph, registry: Registry, opts: BuildOptions = {}): Promise<Graph> {
  checkOptions(opts);
  const prepared = typeof source === 'string' ? await loadGraphFile(source, registry) : await prepareGraph(source, registry);
  if (prepared.diagnostics.length > 0) {
    throw new GraphError(prepared.diagnostics, typeof source === 'string' ? source : source.file);
  }
  // The node metadata the runtime reads, checked here so that a typo is a usage error before
  // any worker starts, whatever the worker count (on one thread `parallel` is not used).
  const workers = (opts as RunOptions).workers ?? 1;
  for (const node of prepared.graph.nodes) {
    nodeBudget(node);
    nodeTimeout(node);
    replicasOf(node, workers);
  }
  return prepared.graph;
}

/** Load and validate; throws GraphError on any diagnostic. */
export async function createNetwork(source: string | Graph, registry: Registry, opts: BuildOptions = {}): Promise<Network> {
  const graph = await loadForRun(source, registry, opts);
  const built = buildNetwork(
    graph,
    (node) => {
      const e = registry.entry(node.component);
      if (!e || e.kind !== 'component') throw new WeftError('E_INTERNAL', `component ${node.component} not loaded`);
      return e.component;
    },
    opts,
  );
  return new Network(built, (opts as RunOptions).onWarning ?? warnOnStderr);
}

const warnOnStderr = (text: string) => void process.stderr.write(`weft: ${text}\n`);

export async function runGraph(source: string | Graph, registry: Registry, opts: BuildOptions = {}): Promise<RunResult> {
  const net = await createNetwork(source, registry, opts);
  return net.run();
}
