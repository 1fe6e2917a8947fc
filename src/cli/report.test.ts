import { describe, expect, it } from 'vitest';
import type { RunResult } from '../index.ts';
import { count, formatFailure, formatStats, seconds, statusLine } from './report.ts';

describe('cli report', () => {
  it('formats the status line with sends and box states', () => {
    expect(statusLine(2500, { active: 2, blocked: 1, done: 3, sends: 1_234_567 })).toBe('weft: 2.50 s  1.23M IP sends  2 active  1 blocked  3 done');
  });
  it('formats numbers and durations', () => {
    expect(count(999)).toBe('999');
    expect(count(12_345)).toBe('12.3k');
    expect(seconds(12)).toBe('12 ms');
  });
  it('prints busy time only when it was measured', () => {
    const stats = {
      elapsedMs: 10,
      timing: false,
      totals: { created: 1, sent: 2, received: 2, dropped: 1 },
      boxes: [{ box: 'a', component: 'core/Repeat', state: 'done' as const, ipsIn: 1, ipsOut: 1, activations: 1, busyMs: 0 }],
      connections: [{ edge: 'a.out -> b.in', carried: 1, maxFill: 1, capacity: 10, fill: 0 }],
    };
    expect(formatStats(stats)).toMatch(/^a\s+core\/Repeat\s+done\s+1\s+1\s+1\s+-$/m);
    expect(formatStats({ ...stats, timing: true })).toMatch(/^a\s+core\/Repeat\s+done\s+1\s+1\s+1\s+0\.0$/m);
    expect(formatStats(stats)).toMatch(/^a\.out -> b\.in\s+1\s+1\s+10$/m);
  });
  it('names the worker of a failed box when it ran on one', () => {
    const failed = (worker?: number) =>
      ({ status: 'failed', failure: { box: 'T', component: 'my/Comp', message: 'no', code: 'E_LEAK', error: null, worker } }) as unknown as RunResult;
    expect(formatFailure(failed())).toBe('weft: box T (my/Comp) failed: [E_LEAK] no');
    expect(formatFailure(failed(1))).toBe('weft: box T (my/Comp) on worker 1 failed: [E_LEAK] no');
  });
});
