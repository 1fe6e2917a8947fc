/**
 * The fuzz loop shared by `npm run fuzz` (on a worker thread, watched for hangs) and by the
 * vitest test (in-process, fixed seeds): make cases, load them, count outcomes, collect bugs.
 */
import { loadCorpus } from './corpus.ts';
import { loadCase } from './harness.ts';
import { makeCase, type FuzzCase } from './mutate.ts';

export interface Found extends FuzzCase {
  seed: number;
  index: number;
  bugClass: string;
  detail: string;
}

export interface Counts {
  cases: number;
  ok: number;
  diag: number;
  bug: number;
}

export interface LoopHooks {
  /** Called before each case (the runner records it for the hang watchdog). */
  onCase?: (index: number) => void;
  onBug?: (found: Found) => void;
}

export async function fuzzLoop(seed: number, from: number, to: number, hooks: LoopHooks = {}): Promise<Counts> {
  const corpus = loadCorpus();
  const counts: Counts = { cases: 0, ok: 0, diag: 0, bug: 0 };
  for (let index = from; index < to; index++) {
    hooks.onCase?.(index);
    const c = makeCase(seed, index, corpus);
    const outcome = await loadCase(c.text, c.file);
    counts.cases++;
    counts[outcome.kind]++;
    if (outcome.kind === 'bug') hooks.onBug?.({ ...c, seed, index, bugClass: outcome.bugClass, detail: outcome.detail });
  }
  return counts;
}
