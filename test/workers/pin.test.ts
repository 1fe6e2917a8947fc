/**
 * --pin: worker K runs on core K (Linux, with taskset); elsewhere a warning and an unpinned run.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { coreOf, pinThisThread } from '../../src/worker/pin.ts';
import { G, runCaptured } from './helpers.ts';

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return process.platform === 'linux';
  } catch {
    return false;
  }
}

describe('--pin', () => {
  it('coreOf wraps worker numbers around the cores', () => {
    expect([0, 1, 2, 3, 4].map((w) => coreOf(w, 2))).toEqual([0, 1, 0, 1, 0]);
    expect(coreOf(3, 0)).toBe(0);
  });

  it('a core that does not exist: a sentence saying why, not a throw', () => {
    const why = pinThisThread(4096);
    expect(typeof why).toBe('string');
    expect(why!.length).toBeGreaterThan(5);
  });

  it.runIf(hasTaskset())('pinned workers run on their cores; unpinned ones may run anywhere', async () => {
    const workers = 2;
    const g = new G().node('A', 'workers/Affinity', { worker: 0 }).node('B', 'workers/Affinity', { worker: 1 }).node('Out', 'core/Output');
    g.edge('A.out', 'Out.in').edge('B.out', 'Out.in');
    const warnings: string[] = [];
    const pinned = await runCaptured(g.graph, { workers, pin: true, onWarning: (t) => warnings.push(t) });
    expect(pinned.result.status).toBe('finished');
    expect(warnings).toEqual([]);
    expect([...pinned.lines].sort()).toEqual([String(coreOf(0, availableParallelism())), String(coreOf(1, availableParallelism()))].sort());
    const free = await runCaptured(g.graph, { workers });
    expect(free.result.status).toBe('finished');
    // Without --pin the threads keep the process's own affinity (every core, here).
    expect(free.lines.every((l) => l === free.lines[0])).toBe(true);
  });
});
