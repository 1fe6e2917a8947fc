/**
 * The watchdog across workers: a box that holds its worker without a port operation is
 * reported (box, worker, time) while the rest of the network keeps moving; with a `timeout`
 * it fails the network and its worker is stopped.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyGraph, type Graph } from '../../src/graph/graph.ts';
import { run } from '../../src/index.ts';

const COMPONENTS = path.resolve(import.meta.dirname, '../fixtures/components');

function hogGraph(hogMeta: Record<string, unknown>): Graph {
  const g = emptyGraph();
  g.nodes.push({ id: 'G', component: 'core/Generate', metadata: { worker: 0 } });
  g.nodes.push({ id: 'H', component: 'stress/Hog', metadata: { worker: 1, ...hogMeta } });
  g.nodes.push({ id: 'P', component: 'core/Output', metadata: { worker: 0 } });
  // A second, independent pipeline on worker 0 that must keep moving meanwhile.
  g.nodes.push({ id: 'G2', component: 'core/Generate', metadata: { worker: 0 } });
  g.nodes.push({ id: 'C', component: 'core/Count', metadata: { worker: 0 } });
  g.nodes.push({ id: 'P2', component: 'core/Output', metadata: { worker: 0 } });
  g.edges.push({ from: { node: 'G', port: 'out' }, to: { node: 'H', port: 'in' }, metadata: {} });
  g.edges.push({ from: { node: 'H', port: 'out' }, to: { node: 'P', port: 'in' }, metadata: {} });
  g.edges.push({ from: { node: 'G2', port: 'out' }, to: { node: 'C', port: 'in' }, metadata: {} });
  g.edges.push({ from: { node: 'C', port: 'out' }, to: { node: 'P2', port: 'in' }, metadata: {} });
  g.iips.push({ data: 2, fromText: false, to: { node: 'G', port: 'count' }, metadata: {} });
  g.iips.push({ data: 600, fromText: false, to: { node: 'H', port: 'ms' }, metadata: {} });
  g.iips.push({ data: 200_000, fromText: false, to: { node: 'G2', port: 'count' }, metadata: {} });
  return g;
}

describe('watchdog', () => {
  it('reports a box that holds its worker past the threshold, and the other worker keeps going', async () => {
    const warnings: string[] = [];
    const out: string[] = [];
    const r = await run(hogGraph({}), {
      workers: 2,
      components: [COMPONENTS],
      watchdogMs: 200,
      onWarning: (t) => warnings.push(t),
      stdout: { write: (s: string) => (out.push(s), true), once: () => undefined },
    });
    expect(r.status).toBe('finished');
    expect(out.join('')).toContain('200000');
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings[0]).toMatch(/^watchdog: box H \(stress\/Hog\) on worker 1 has run \d+ ms without reaching a port operation$/);
    const hog = r.stats.hogs?.find((h) => h.box === 'H');
    expect(hog?.worker).toBe(1);
    expect(hog!.ms).toBeGreaterThanOrEqual(200);
    expect(r.stats.hogs?.some((h) => h.box !== 'H')).toBe(false);
  });

  it('a box past its timeout fails the network with E_TIMEOUT, and its worker is stopped', async () => {
    const t0 = performance.now();
    const r = await run(hogGraph({ timeout: 150 }), {
      workers: 2,
      components: [COMPONENTS],
      watchdogMs: 5000,
      onWarning: () => {},
      stdout: { write: () => true, once: () => undefined },
    });
    expect(r.status).toBe('failed');
    expect(r.exitCode).toBe(1);
    expect(r.failure?.code).toBe('E_TIMEOUT');
    expect(r.failure?.box).toBe('H');
    expect(r.failure?.message).toMatch(/went \d+ ms without a port operation \(its timeout is 150 ms\); worker 1 was stopped/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
