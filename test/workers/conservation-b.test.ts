/**
 * The second half of the conservation suite's fixed seed set (see conservation.test.ts, which
 * holds the first half, the coverage check and the replay instructions): a file of its own so
 * that vitest runs the two halves in parallel. With WEFT_SEED set it runs nothing (the seed is
 * replayed by conservation.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkRun, fixedHalf, makeRun, report, RUN_TIMEOUT_MS } from './conservation-harness.ts';

const seeds = process.env.WEFT_SEED === undefined ? fixedHalf(1) : [];

describe('conservation (random networks, 1..4 workers), second half', () => {
  it.runIf(seeds.length === 0)('nothing to do: WEFT_SEED is replayed by conservation.test.ts', () => {});
  for (const seed of seeds) {
    const run = makeRun(seed);
    const prone = run.prone.length > 0 ? `, deadlock-prone: ${run.prone.map((p) => p.outcome).join(' ')}` : '';
    it(`seed ${seed}: ${run.networks} networks, ${run.boxes} boxes on ${run.workers} worker${run.workers === 1 ? '' : 's'}, ${run.lines} tokens${prone}`, { timeout: RUN_TIMEOUT_MS + 30_000 }, async () => {
      const { problems } = await checkRun(run);
      if (problems.length > 0) expect.fail(report(run, problems));
    });
  }
});
