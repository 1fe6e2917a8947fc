/**
 * Helpers for the multi-worker suites: graphs built as data, runs through the public API with
 * the output captured, and the fixture components directory.
 *
 * Every run with `workers > 1` starts that many worker threads (about 150 ms each on the
 * 2-core CI machine), so the suites batch what they can into few runs.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNetwork, emptyGraph, run, type Graph, type RunOptions, type RunResult, type RunnableNetwork, type TextSink } from '../../src/index.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** test/fixtures/components: stress/*, workers/*, ... */
export const FIXTURES = join(ROOT, 'test/fixtures/components');

/** A stdout sink that keeps everything written (and always accepts). */
export function capture(): TextSink & { text(): string; lines(): string[]; readonly size: number } {
  const chunks: string[] = [];
  let size = 0;
  return {
    write(s: string) {
      chunks.push(s);
      size += s.length;
      return true;
    },
    get size() {
      return size;
    },
    once() {
      return undefined;
    },
    text: () => chunks.join(''),
    lines() {
      const t = chunks.join('');
      if (t === '') return [];
      const ls = t.split('\n');
      if (ls[ls.length - 1] === '') ls.pop();
      return ls;
    },
  };
}

export interface Captured {
  result: RunResult;
  /** Everything the network printed. */
  text: string;
  lines: string[];
  ms: number;
}

/** Run a graph (file or data) with the fixture components and the output captured. */
export async function runCaptured(source: string | Graph, opts: RunOptions = {}): Promise<Captured> {
  const out = capture();
  const t0 = performance.now();
  const result = await run(source, { components: [FIXTURES], ...opts, stdout: out });
  return { result, text: out.text(), lines: out.lines(), ms: performance.now() - t0 };
}

/** createNetwork with the fixture components and a capture sink. */
export async function createCaptured(source: string | Graph, opts: RunOptions = {}): Promise<{ net: RunnableNetwork; out: ReturnType<typeof capture> }> {
  const out = capture();
  const net = await createNetwork(source, { components: [FIXTURES], ...opts, stdout: out });
  return { net, out };
}

/**
 * A small graph builder over plain Graph data (so metadata such as `worker` and `budget` can
 * be set per node and capacity per edge).
 */
export class G {
  readonly graph: Graph = emptyGraph();

  node(id: string, component: string, metadata: Record<string, unknown> = {}): this {
    this.graph.nodes.push({ id, component, metadata: { ...metadata } });
    return this;
  }

  /** `A.out`, `A.out[1]` → `B.in`, `B.in[0]`. */
  edge(from: string, to: string, capacity?: number): this {
    this.graph.edges.push({ from: ref(from), to: ref(to), capacity, metadata: {} });
    return this;
  }

  iip(to: string, data: unknown): this {
    this.graph.iips.push({ data, fromText: false, to: ref(to), metadata: {} });
    return this;
  }
}

export function ref(s: string): { node: string; port: string; index?: number } {
  const m = /^([\w-]+)\.(\w+)(?:\[(\d+)\])?$/.exec(s.trim());
  if (!m) throw new Error(`bad port ref ${s}`);
  return m[3] === undefined ? { node: m[1], port: m[2] } : { node: m[1], port: m[2], index: Number(m[3]) };
}

/** A promise that rejects after `ms` (to turn a hang into a failure that says what hung). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what}: no result after ${ms} ms (hang)`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
