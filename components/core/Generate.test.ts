import { describe, it, expect } from 'vitest';
import Generate from './Generate.ts';
import Take from './Take.ts';
import { MODES, SINK, runCollect } from '../../test/helpers/components.ts';

describe.each(MODES)('core/Generate ($name)', ({ opts }) => {
  it('sends 1..count', async () => {
    const { result, got } = await runCollect({ nodes: { g: Generate, sink: SINK }, edges: ['g.out -> sink.in'], iips: [[25, 'g.count']] }, opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('count 0 sends nothing', async () => {
    const { result, got } = await runCollect({ nodes: { g: Generate, sink: SINK }, edges: ['g.out -> sink.in'], iips: [[0, 'g.count']] }, opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual([]);
  });

  it('Generate 10,000,000 → Take 3 stops early with [1, 2, 3]', async () => {
    const t0 = performance.now();
    const { result, got } = await runCollect(
      { nodes: { g: Generate, t: Take, sink: SINK }, edges: ['g.out -> t.in', 't.out -> sink.in'], iips: [[10_000_000, 'g.count'], [3, 't.count']] },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual([1, 2, 3]);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(result.stats.boxes.find((b) => b.box === 'g')!.ipsOut).toBeLessThan(50);
  });
});

describe('core/Generate', () => {
  it('a bad count fails the box', async () => {
    const { result } = await runCollect({ nodes: { g: Generate, sink: SINK }, edges: ['g.out -> sink.in'], iips: [[-1, 'g.count']] });
    expect(result.status).toBe('failed');
    expect(result.failure!.box).toBe('g');
    expect(result.failure!.message).toMatch(/COUNT must be an integer >= 0, got -1/);
  });

  it('an unconnected count fails the box', async () => {
    const { result } = await runCollect({ nodes: { g: Generate, sink: SINK }, edges: ['g.out -> sink.in'] });
    expect(result.status).toBe('failed');
    expect(result.failure!.message).toMatch(/no value for COUNT/);
  });
});
