/**
 * Test helpers for the component library: a source that sends a scripted stream (data and
 * brackets), a one-call runner that collects what reaches a sink, capturing stdout sinks,
 * temporary files, and the matrix of network modes every component is tested in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineComponent, type Component, type TextSink } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import type { BuildOptions } from '../../src/network/build.ts';
import type { RunResult } from '../../src/network/network.ts';
import { collector, makeNetwork, type NetSpec } from './net.ts';

/** Bracket markers in a scripted stream; collector() records brackets as these strings too. */
export const OPEN = 'open:';
export const CLOSE = 'close:';
export const open = (group = '') => `open:${group}`;
export const close = (group = '') => `close:${group}`;

function bracketOf(item: unknown): { kind: 'open' | 'close'; group: string | undefined } | null {
  if (typeof item !== 'string') return null;
  if (item.startsWith(OPEN)) return { kind: 'open', group: item.slice(OPEN.length) || undefined };
  if (item.startsWith(CLOSE)) return { kind: 'close', group: item.slice(CLOSE.length) || undefined };
  return null;
}

/**
 * A looper source sending `items` in order: `open(g)` / `close(g)` strings become brackets
 * (group g), anything else a data IP. Stops when OUT closes. `sent` counts what it sent.
 */
export function feed(items: readonly unknown[], sent?: { n: number }): Component {
  return defineComponent({
    inPorts: {},
    outPorts: { out: port.any() },
    async run(_in, { out }) {
      for (const item of items) {
        const b = bracketOf(item);
        let ok = b === null ? out.emit(item) : b.kind === 'open' ? out.openBracket(b.group) : out.closeBracket(b.group);
        if (ok instanceof Promise) ok = await ok;
        if (!ok) return;
        if (sent) sent.n++;
      }
    },
  });
}

/** The modes every component is run in: checked and unchecked, tiny and default capacities and budgets. */
export const MODES: { name: string; opts: BuildOptions }[] = [
  { name: 'checked, capacity 10', opts: {} },
  { name: 'checked, capacity 1', opts: { capacity: 1 } },
  { name: 'checked, capacity 2', opts: { capacity: 2 } },
  { name: 'unchecked, capacity 10', opts: { checked: false } },
  { name: 'unchecked, capacity 1', opts: { checked: false, capacity: 1 } },
  { name: 'unchecked, capacity 2', opts: { checked: false, capacity: 2 } },
  // Budget 1: every port operation after the first in an activation yields to the scheduler.
  { name: 'checked, capacity 1, budget 1', opts: { capacity: 1, budget: 1 } },
  { name: 'unchecked, capacity 3, budget 2', opts: { checked: false, capacity: 3, budget: 2 } },
];

export interface Collected {
  result: RunResult;
  /** What reached the collector node `sink` (brackets as `open:g` / `close:g`). */
  got: unknown[];
}

/**
 * Run a network whose node `sink` is filled in here as a collector (list it in `nodes` as
 * `sink: SINK`), and return the result and what the collector received.
 */
export async function runCollect(spec: NetSpec, opts: BuildOptions = {}): Promise<Collected> {
  const got: unknown[] = [];
  const nodes = { ...spec.nodes };
  for (const [id, c] of Object.entries(nodes)) if (c === SINK) nodes[id] = collector(got);
  const result = await makeNetwork({ ...spec, nodes }, opts).run();
  return { result, got };
}

/** Placeholder replaced by runCollect with a collector. */
export const SINK: Component = defineComponent({ inPorts: { in: port.any() }, outPorts: {}, process: { in() {} } });

/** Run source → component → collector: the common one-in, one-out case. */
export async function pipe(
  component: Component,
  items: readonly unknown[],
  opts: BuildOptions = {},
  params: [unknown, string][] = [],
): Promise<Collected> {
  return runCollect(
    {
      nodes: { src: feed(items), c: component, sink: SINK },
      edges: ['src.out -> c.in', 'c.out -> sink.in'],
      iips: params.map(([v, p]) => [v, `c.${p}`] as [unknown, string]),
    },
    opts,
  );
}

/** A stdout sink that records what is written and always accepts. */
export function captureSink(): TextSink & { text(): string; writes: number } {
  const chunks: string[] = [];
  const sink = {
    writes: 0,
    write(chunk: string) {
      sink.writes++;
      chunks.push(chunk);
      return true;
    },
    once() {
      return undefined;
    },
    text: () => chunks.join(''),
  };
  return sink;
}

/**
 * A stdout sink that always reports a full buffer (write returns false) and emits 'drain'
 * on a later macrotask. `violations` counts writes made while a drain was still awaited.
 */
export function slowSink(): TextSink & { text(): string; writes: number; drains: number; violations: number } {
  const chunks: string[] = [];
  let waiting = false;
  let listeners: (() => void)[] = [];
  const sink = {
    writes: 0,
    drains: 0,
    violations: 0,
    write(chunk: string) {
      if (waiting) sink.violations++;
      sink.writes++;
      chunks.push(chunk);
      waiting = true;
      setImmediate(() => {
        waiting = false;
        sink.drains++;
        const ls = listeners;
        listeners = [];
        for (const l of ls) l();
      });
      return false;
    },
    once(_event: 'drain', listener: () => void) {
      listeners.push(listener);
      return sink;
    },
    text: () => chunks.join(''),
  };
  return sink;
}

/** A fresh temporary directory; `cleanup()` removes it. */
export function tempDir(): { dir: string; file(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'weft-components-'));
  return {
    dir,
    file: (name: string) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Check that a recorded stream (collector format) has balanced brackets. */
export function balanced(items: readonly unknown[]): boolean {
  let depth = 0;
  for (const it of items) {
    const b = bracketOf(it);
    if (b === null) continue;
    depth += b.kind === 'open' ? 1 : -1;
    if (depth < 0) return false;
  }
  return depth === 0;
}
