/**
 * The loader fuzzer at a fixed size in `npm test`: a few fixed seeds, a few thousand cases,
 * each input loaded as `weft check` would. Any outcome other than "loaded" or "diagnostics
 * with positions" fails with the seed, case index, recipe and input. `npm run fuzz` runs the
 * same loop for 100,000 cases with a fresh seed (test/fuzz/run.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus.ts';
import { loadCase } from './harness.ts';
import { fuzzLoop, type Found } from './loop.ts';
import { makeCase } from './mutate.ts';

const SEEDS = [1, 2, 3, 0xc0ffee];
const CASES_PER_SEED = 1500;

describe('loader fuzzing (fixed seeds)', () => {
  it('every corpus graph loads or gives positioned diagnostics', async () => {
    for (const seed of loadCorpus()) {
      const outcome = await loadCase(seed.text, seed.json ? 'seed.json' : 'seed.fbp');
      expect(outcome.kind, `${seed.name}: ${outcome.kind === 'bug' ? outcome.detail : ''}`).not.toBe('bug');
    }
  });

  it('cases are a pure function of (seed, index)', () => {
    const corpus = loadCorpus();
    expect(makeCase(9, 1234, corpus)).toEqual(makeCase(9, 1234, corpus));
  });

  for (const seed of SEEDS) {
    it(`seed ${seed}: ${CASES_PER_SEED} cases without a bug`, async () => {
      const bugs: Found[] = [];
      const counts = await fuzzLoop(seed, 0, CASES_PER_SEED, { onBug: (f) => bugs.push(f) });
      const first = bugs[0];
      const why = first ? `seed ${first.seed} case ${first.index} (${first.recipe}) [${first.bugClass}]\n${JSON.stringify(first.text)}\n${first.detail}` : '';
      expect(bugs.length, why).toBe(0);
      expect(counts.cases).toBe(CASES_PER_SEED);
      expect(counts.ok + counts.diag).toBe(CASES_PER_SEED);
    });
  }
});
