/**
 * input: read and check what place() needs from a PlacementInput (pins, loads, edge ends by
 * node index). Every problem is a WeftError E_USAGE naming the node and, when it has a span,
 * its file:line:col.
 */
import { spanPrefix } from '../graph/diagnostic.ts';
import { WeftError } from '../errors.ts';
import type { PlacementInput, PlacementNode } from './placement.ts';

/** What place() reads from the input, by node index. */
export interface PlacementData {
  index: Map<string, number>;
  weight: Float64Array;
  /** -1 for a free node */
  pin: Int32Array;
  /** from and to node index, two per edge */
  ends: Int32Array;
}

function show(raw: unknown): string {
  if (typeof raw === 'string') return `'${raw}'`;
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

function readPin(node: PlacementNode, workers: number): number {
  const raw = node.metadata.worker;
  if (raw === undefined) return -1;
  const pin = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : raw;
  if (typeof pin !== 'number' || !Number.isSafeInteger(pin) || pin < 0) {
    throw new WeftError('E_USAGE', `${spanPrefix(node.span)}node ${node.id}: metadata worker must be an integer >= 0, got ${show(raw)}`);
  }
  if (pin >= workers) {
    const range = workers === 1 ? 'only worker 0' : `workers 0..${workers - 1}`;
    throw new WeftError(
      'E_USAGE',
      `${spanPrefix(node.span)}node ${node.id} is pinned to worker ${pin} (metadata worker=${pin}), ` +
        `but the network runs on ${workers} worker${workers === 1 ? '' : 's'} (${range})`,
    );
  }
  return pin;
}

function readLoad(node: PlacementNode): number {
  const raw = node.metadata.load;
  if (raw === undefined) return 1;
  const load = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof load !== 'number' || !Number.isFinite(load) || load <= 0) {
    throw new WeftError('E_USAGE', `${spanPrefix(node.span)}node ${node.id}: metadata load must be a number > 0, got ${show(raw)}`);
  }
  return load;
}

/** Checks the input and reads pins and loads; throws E_USAGE on the first problem. */
export function readPlacementInput(input: PlacementInput, workers: number): PlacementData {
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new WeftError('E_USAGE', `the worker count must be an integer >= 1, got ${show(workers)}`);
  }
  const n = input.nodes.length;
  const index = new Map<string, number>();
  const weight = new Float64Array(n);
  const pin = new Int32Array(n);
  input.nodes.forEach((node, i) => {
    if (index.has(node.id)) throw new WeftError('E_USAGE', `${spanPrefix(node.span)}node ${node.id} appears twice in the graph`);
    index.set(node.id, i);
    pin[i] = readPin(node, workers);
    weight[i] = readLoad(node);
  });
  const ends = new Int32Array(2 * input.edges.length);
  input.edges.forEach((edge, e) => {
    for (const [side, ref] of [[0, edge.from], [1, edge.to]] as const) {
      const i = index.get(ref.node);
      if (i === undefined) {
        throw new WeftError('E_USAGE', `edge ${e} (${edge.from.node} -> ${edge.to.node}) names unknown node ${ref.node}`);
      }
      ends[2 * e + side] = i;
    }
  });
  return { index, weight, pin, ends };
}
