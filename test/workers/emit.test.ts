/**
 * emit(value) into a ring to another worker writes the value without making a packet
 * (scheduler/ports.ts). What must not change with that shortcut: order and conservation at
 * tiny capacities and at 10 (where a looper's sends are published in batches), the budget, the outbox of a non-looper that emits into a full ring, a
 * refused emit once the receiver closed (the source stops, the drop is counted), and the
 * totals (created, sent, received, dropped) agreeing with the IPs that moved.
 */
import { describe, expect, it } from 'vitest';
import { G, runCaptured } from './helpers.ts';

function outcome(r: Awaited<ReturnType<typeof runCaptured>>['result']): string {
  return r.failure ? `${r.failure.box}: ${r.failure.message}` : r.status;
}

describe('emit into a ring (two workers)', () => {
  for (const cap of [1, 2, 4, 10]) {
    it(`a looper's emits all arrive once, in order, at capacity ${cap} (budget 3)`, async () => {
      const n = 3000;
      const g = new G().node('E', 'workers/EmitF64', { worker: 0, budget: 3 }).node('S', 'workers/Show', { worker: 1 });
      g.edge('E.out', 'S.in', cap).iip('E.n', n);
      const { result, lines } = await runCaptured(g.graph, { workers: 2 });
      expect(outcome(result)).toBe('finished');
      const shown = lines.filter((l) => l.startsWith('S '));
      expect(shown).toEqual(Array.from({ length: n }, (_, i) => `S data num(${i})`));
      expect(lines).toContain(`EmitF64 E accepted=${n} refused=0`);
      const t = result.stats.totals;
      // n emitted values and the IIP, each created once, received once, dropped once.
      expect(t.created).toBe(n + 1);
      expect(t.sent).toBe(n);
      expect(t.received).toBe(n + 1);
      expect(t.dropped).toBe(n + 1);
    });
  }

  it("a non-looper's emits into a full ring wait in its outbox, in order", async () => {
    const g = new G()
      .node('F', 'workers/EmitF64', { worker: 0 })
      .node('M', 'workers/EmitMany', { worker: 0 })
      .node('S', 'workers/Show', { worker: 1 });
    g.edge('F.out', 'M.in', 2).edge('M.out', 'S.in', 1).iip('F.n', 40);
    const { result, lines } = await runCaptured(g.graph, { workers: 2 });
    expect(outcome(result)).toBe('finished');
    const want: string[] = [];
    for (let k = 0; k < 40; k++) for (let j = 0; j < k; j++) want.push(`S data num(${k * 1000 + j})`);
    expect(lines.filter((l) => l.startsWith('S '))).toEqual(want);
    const m = result.stats.boxes.find((b) => b.box === 'M')!;
    expect(m.ipsOut).toBe(want.length);
  });

  for (const unchecked of [false, true]) {
    it(`an emit after the receiver closed returns false and the source stops (${unchecked ? 'unchecked' : 'checked'})`, async () => {
      const g = new G()
        .node('E', 'workers/EmitF64', { worker: 0 })
        .node('T', 'core/Take', { worker: 1 })
        .node('S', 'workers/Show', { worker: 1 });
      g.edge('E.out', 'T.in', 4).edge('T.out', 'S.in').iip('E.n', 10_000_000).iip('T.count', 3);
      const { result, lines } = await runCaptured(g.graph, { workers: 2, checked: !unchecked });
      expect(outcome(result)).toBe('finished');
      expect(lines.filter((l) => l.startsWith('S '))).toEqual(['S data num(0)', 'S data num(1)', 'S data num(2)']);
      const m = /^EmitF64 E accepted=(\d+) refused=1$/.exec(lines.find((l) => l.startsWith('EmitF64')) ?? '');
      expect(m, lines.join('\n')).not.toBeNull();
      const accepted = Number(m![1]);
      expect(accepted).toBeGreaterThanOrEqual(3);
      expect(accepted).toBeLessThan(10_000_000);
      const t = result.stats.totals;
      expect(t.created).toBe(accepted + 1 + 2); // the emits (the refused one too) and 2 IIPs
      // Checked, every IP made is dropped exactly once: by Take's close, by the refused send,
      // by a sink. Unchecked, a non-looper's implicit drops are not counted (docs/design.md).
      if (!unchecked) expect(t.dropped).toBe(t.created);
    });
  }
});
