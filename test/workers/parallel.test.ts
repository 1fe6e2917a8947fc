/**
 * Parallel nodes on real workers: replicas share the work, nothing is lost or duplicated,
 * `ordered` gives exactly the one-worker output (brackets and 0/1/2 outputs per input
 * included), and mistakes are clear errors.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyGraph, type Graph } from '../../src/graph/graph.ts';
import { run } from '../../src/index.ts';

const COMPONENTS = path.resolve(import.meta.dirname, '../fixtures/components');

function graph(n: number, work: { component: string; meta: Record<string, unknown>; iter?: number }, printer = 'stress/Brackets'): Graph {
  const g = emptyGraph();
  g.nodes.push({ id: 'Src', component: 'stress/Source', metadata: {} });
  g.nodes.push({ id: 'W', component: work.component, metadata: work.meta });
  g.nodes.push({ id: 'Print', component: printer, metadata: {} });
  g.edges.push({ from: { node: 'Src', port: 'out' }, to: { node: 'W', port: 'in' }, metadata: {} });
  g.edges.push({ from: { node: 'W', port: 'out' }, to: { node: 'Print', port: 'in' }, metadata: {} });
  g.iips.push({ data: 0, fromText: false, to: { node: 'Src', port: 's' }, metadata: {} });
  g.iips.push({ data: n, fromText: false, to: { node: 'Src', port: 'n' }, metadata: {} });
  if (work.iter !== undefined) g.iips.push({ data: work.iter, fromText: false, to: { node: 'W', port: 'iter' }, metadata: {} });
  return g;
}

async function output(g: Graph, workers: number, capacity?: number) {
  let text = '';
  const r = await run(g, { workers, capacity, components: [COMPONENTS], stdout: { write: (s: string) => ((text += s), true), once: () => undefined } });
  return { r, lines: text.split('\n').filter((l) => l !== '') };
}

describe('parallel nodes', () => {
  it('unordered: the same IPs as on one worker, and every replica did some of the work', async () => {
    const g = graph(3000, { component: 'stress/Work', meta: { parallel: 'auto' }, iter: 3000 });
    const one = await output(g, 1);
    const two = await output(g, 2);
    expect(two.r.status).toBe('finished');
    expect([...two.lines].sort()).toEqual([...one.lines].sort());
    const replicas = two.r.stats.boxes.filter((b) => b.box.startsWith('W#'));
    expect(replicas.map((b) => b.box)).toEqual(['W#1', 'W#2']);
    for (const b of replicas) expect(b.ipsIn).toBeGreaterThan(0);
    expect(replicas.reduce((a, b) => a + b.ipsIn, 0)).toBe(3000);
  });

  it('ordered: exactly the one-worker output for workers 2-4 and capacities 1, 2, 4 (0, 1 or 2 outputs per input, brackets)', async () => {
    const g = graph(1500, { component: 'stress/Spread', meta: { parallel: 3, ordered: true } });
    const one = await output(g, 1);
    expect(one.lines.length).toBe(2500);
    for (const [workers, capacity] of [
      [2, 1],
      [3, 2],
      [4, 4],
    ]) {
      const many = await output(g, workers, capacity);
      expect(many.r.status, `${workers} workers, capacity ${capacity}: ${many.r.failure?.message ?? ''} ${String(many.r.failure?.error)}`).toBe('finished');
      expect(many.lines).toEqual(one.lines);
    }
  });

  it("the shared queue holds one connection's capacity per replica, and fills past a single capacity", async () => {
    // 4 slow replicas behind a fast source at capacity 2: the queue has 2 x 4 slots, and the
    // source fills them (with 2 slots, 2 of the 4 replicas would wait on it every time).
    const g = graph(2000, { component: 'stress/Work', meta: { parallel: 4 }, iter: 20000 });
    const r = (await output(g, 2, 2)).r;
    expect(r.status).toBe('finished');
    const into = r.stats.connections.filter((c) => c.edge.startsWith('Src.out -> W#'));
    expect(into.length).toBe(4);
    for (const c of into) {
      expect(c.capacity).toBe(8);
      expect(c.maxFill).toBeGreaterThan(2);
    }
    expect(into.reduce((a, c) => a + c.carried, 0)).toBe(2000);
  });

  it('a replica that fails is named, exit code 1, and the run ends', async () => {
    const g = graph(1000, { component: 'stress/FailAt', meta: { parallel: 2 } });
    const { r } = await output(g, 2);
    expect(r.status).toBe('failed');
    expect(r.exitCode).toBe(1);
    expect(r.failure?.box).toMatch(/^W#[12]$/);
    expect(r.failure?.message).toBe('input 50 is not welcome');
  });

  it('an ordered node with two inputs is refused before anything runs', async () => {
    const g = graph(10, { component: 'stress/Spread', meta: { parallel: 2, ordered: true } });
    g.nodes.push({ id: 'Src2', component: 'stress/Source', metadata: {} });
    g.edges.push({ from: { node: 'Src2', port: 'out' }, to: { node: 'W', port: 'in' }, metadata: {} });
    g.iips.push({ data: 1, fromText: false, to: { node: 'Src2', port: 's' }, metadata: {} });
    g.iips.push({ data: 5, fromText: false, to: { node: 'Src2', port: 'n' }, metadata: {} });
    await expect(output(g, 2)).rejects.toThrow(/needs exactly one input edge \(it has 2\)/);
  });
});
