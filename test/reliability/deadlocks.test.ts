/**
 * Deadlocks and slow-but-live networks, on one thread and across workers.
 *
 * Every network of the deadlock corpus must end with status `deadlock` (exit code 3), a report
 * naming every blocked box with the port and connection it waits on, and a cycle of the
 * wait-for graph, within 1 s of network time (the detector is event-driven: no timer decides).
 * Every network of the live corpus (boxes awaiting timers, boxes computing for a while) must
 * finish normally: waiting is not a deadlock.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDeadlock, type RunResult } from '../../src/index.ts';
import { runCaptured } from '../workers/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'weft-deadlocks-'));
let files = 0;
function graph(text: string): string {
  const f = join(dir, `g${files++}.fbp`);
  writeFileSync(f, text);
  return f;
}

const DEADLOCKS: { name: string; text: string; workers: number[] }[] = [
  {
    name: 'divergent-convergent: Split -> Concat, capacity 2',
    text: `'10' -> COUNT Gen(core/Generate)
Gen OUT -> IN Split(core/Split)
Split OUT[0] -(2)-> IN[0] Concat(core/Concat)
Split OUT[1] -(2)-> IN[1] Concat
Concat OUT -> IN Print(core/Output)`,
    workers: [1, 2, 4],
  },
  {
    name: 'divergent-convergent across workers, capacity 1, each box on its own worker',
    text: `'50' -> COUNT Gen(core/Generate)
Gen OUT -> IN Split(core/Split:worker=0)
Split OUT[0] -(1)-> IN A(core/Repeat:worker=1)
Split OUT[1] -(1)-> IN B(core/Repeat:worker=2)
A OUT -(1)-> IN[0] Concat(core/Concat:worker=3)
B OUT -(1)-> IN[1] Concat
Concat OUT -> IN Print(core/Output)`,
    workers: [4],
  },
  {
    name: 'a cycle with no IP in it (each waits for the other to send first)',
    text: `A(core/Repeat) OUT -> IN B(core/Repeat)
B OUT -> IN A`,
    workers: [1, 2],
  },
  {
    name: 'a cycle across workers through Concat (it waits on IN[0], fed by the cycle; the source fills IN[1])',
    text: `'5' -> COUNT Gen(core/Generate:worker=0)
Gen OUT -(1)-> IN[1] Cat(core/Concat:worker=1)
C OUT -> IN[0] Cat
Cat OUT -> IN C(core/Repeat:worker=0)`,
    workers: [2],
  },
  {
    // LoadBalance keeps a substream on one element; the first (20 IPs in brackets) goes to
    // OUT[0], which feeds Concat's second input: it fills at capacity 2 while Concat waits for
    // its first input, which LoadBalance cannot feed before the substream is out.
    name: 'LoadBalance + substream merge: a substream longer than the capacity into the input Concat reads second',
    text: `'40' -> COUNT Gen(core/Generate:worker=0)
'20' -> SIZE Batch(core/Batch:worker=0)
Gen OUT -> IN Batch OUT -> IN LB(core/LoadBalance:worker=0)
LB OUT[0] -(2)-> IN[1] Cat(core/Concat:worker=1)
LB OUT[1] -(2)-> IN[0] Cat
Cat OUT -> IN Print(core/Output)`,
    workers: [1, 2],
  },
];

function checkDeadlock(r: RunResult, workers: number): void {
  const why = r.status === 'deadlock' && r.deadlock ? formatDeadlock(r.deadlock) : `${r.status}: ${r.failure?.message ?? ''}`;
  expect(r.status, why).toBe('deadlock');
  expect(r.exitCode).toBe(3);
  const d = r.deadlock!;
  expect(d.blocked.length).toBeGreaterThan(0);
  for (const w of d.blocked) {
    expect(w.box).toBeTruthy();
    if (w.kind !== 'input') {
      expect(w.port, `${w.box} waits on a port`).toBeTruthy();
      expect(w.edge, `${w.box} waits on a connection`).toMatch(/->/);
    }
  }
  expect(d.cycle.length, why).toBeGreaterThanOrEqual(3);
  expect(d.cycle[0]).toBe(d.cycle[d.cycle.length - 1]);
  const blocked = new Set(d.blocked.map((w) => w.box));
  for (const b of d.cycle) expect(blocked.has(b), `${b} of the cycle is blocked`).toBe(true);
  expect(r.stats.elapsedMs, `reported after ${r.stats.elapsedMs} ms on ${workers} workers`).toBeLessThan(1000);
}

describe('deadlock corpus: each reported (exit 3, boxes, ports, cycle) within 1 s', () => {
  for (const d of DEADLOCKS) {
    for (const workers of d.workers) {
      it(`${d.name} (${workers} worker${workers === 1 ? '' : 's'})`, async () => {
        const { result } = await runCaptured(graph(d.text), { workers });
        checkDeadlock(result, workers);
      });
    }
  }
});

const LIVE: { name: string; text: string; workers: number[]; lines: number }[] = [
  {
    name: 'a box awaiting a 300 ms timer per IP',
    text: `'3' -> COUNT Gen(core/Generate) OUT -> IN D(core/Delay) OUT -> IN Print(core/Output)
'300' -> MS D`,
    workers: [1, 2],
    lines: 3,
  },
  {
    name: 'two timers in a row on different workers, capacity 1',
    text: `'4' -> COUNT Gen(core/Generate:worker=0)
Gen OUT -(1)-> IN D1(core/Delay:worker=1)
D1 OUT -(1)-> IN D2(core/Delay:worker=0)
D2 OUT -> IN Print(core/Output:worker=1)
'120' -> MS D1
'150' -> MS D2`,
    workers: [2],
    lines: 4,
  },
  {
    name: 'a box computing 300 ms per IP (under the watchdog threshold) while the rest waits',
    text: `'3' -> COUNT Gen(core/Generate) OUT -(1)-> IN H(stress/Hog) OUT -> IN Print(core/Output)
'300' -> MS H`,
    workers: [1, 2],
    lines: 3,
  },
];

describe('live corpus: slow networks are never reported as deadlocks', () => {
  for (const l of LIVE) {
    for (const workers of l.workers) {
      it(`${l.name} (${workers} worker${workers === 1 ? '' : 's'})`, async () => {
        const warnings: string[] = [];
        const { result, lines } = await runCaptured(graph(l.text), { workers, onWarning: (t) => warnings.push(t) });
        const why = result.deadlock ? formatDeadlock(result.deadlock) : (result.failure?.message ?? '');
        expect(result.status, why).toBe('finished');
        expect(result.exitCode).toBe(0);
        expect(lines).toEqual(Array.from({ length: l.lines }, (_, i) => String(i + 1)));
        expect(warnings).toEqual([]);
      });
    }
  }
});
