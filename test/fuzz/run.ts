/**
 * `npm run fuzz`: fuzz the .fbp and JSON graph loaders.
 *
 *   FUZZ_SEED=1234 FUZZ_CASES=100000 npm run fuzz
 *
 * The seed is random unless FUZZ_SEED is given, and always printed; FUZZ_CASES (default
 * 100000) sets how many cases run; FUZZ_FROM starts at a later case index (to replay one case:
 * FUZZ_SEED=s FUZZ_FROM=i FUZZ_CASES=1). The cases run on a worker thread; a case that takes
 * longer than the time bound is a hang: the thread is killed, the case reported, and a new
 * thread goes on after it. At the end each bug class is printed with its smallest input
 * (shrunk further when possible), seed and case index; the exit code is 1 if any bug was found.
 */
import { Worker } from 'node:worker_threads';
import { CASE_TIME_LIMIT_MS, shrink } from './harness.ts';
import { loadCorpus } from './corpus.ts';
import type { Counts, Found } from './loop.ts';
import { makeCase } from './mutate.ts';

const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return n;
};

const seed = envInt('FUZZ_SEED', Math.floor(Math.random() * 2 ** 32)) >>> 0;
const first = envInt('FUZZ_FROM', 0);
const total = envInt('FUZZ_CASES', 100_000);
const end = first + total;
console.log(`loader fuzz: seed ${seed}, cases ${first}..${end - 1}, corpus ${loadCorpus().length} graphs`);

const started = performance.now();
const counts: Counts = { cases: 0, ok: 0, diag: 0, bug: 0 };
const classes = new Map<string, { count: number; smallest: Found }>();

const record = (found: Found): void => {
  counts.bug++;
  const c = classes.get(found.bugClass);
  if (!c) {
    classes.set(found.bugClass, { count: 1, smallest: found });
    console.log(`BUG [${found.bugClass}] seed ${found.seed} case ${found.index}`);
  } else {
    c.count++;
    if (found.text.length < c.smallest.text.length) c.smallest = found;
  }
};

/** Run cases [from, end) on a worker; resolves with the index to go on from (end when done). */
function runWorker(from: number): Promise<number> {
  const progress = new SharedArrayBuffer(16);
  const slots = new Float64Array(progress);
  slots[0] = from;
  slots[1] = performance.timeOrigin + performance.now();
  const worker = new Worker(new URL('../../src/worker/boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./worker.ts', import.meta.url).href, seed, from, to: end, progress },
  });
  return new Promise((resolve, reject) => {
    let lastReport = performance.now();
    const timer = setInterval(() => {
      const index = slots[0];
      const now = performance.timeOrigin + performance.now();
      if (now - slots[1] > CASE_TIME_LIMIT_MS * 1.5 && index >= from) {
        clearInterval(timer);
        const c = makeCase(seed, index, loadCorpus());
        record({ ...c, seed, index, bugClass: 'hang', detail: `no answer after ${CASE_TIME_LIMIT_MS * 1.5} ms` });
        counts.cases++;
        void worker.terminate().then(() => resolve(index + 1));
      } else if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        console.log(`  ... case ${index}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    }, 100);
    worker.on('message', (m: { type: 'bug'; found: Found } | { type: 'done'; counts: Counts }) => {
      if (m.type === 'bug') return record(m.found);
      clearInterval(timer);
      counts.cases += m.counts.cases;
      counts.ok += m.counts.ok;
      counts.diag += m.counts.diag;
      void worker.terminate().then(() => resolve(end));
    });
    worker.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
  });
}

for (let from = first; from < end; ) from = await runWorker(from);

const seconds = (performance.now() - started) / 1000;
console.log(`\n${counts.cases} cases in ${seconds.toFixed(1)} s: ${counts.ok} loaded, ${counts.diag} clean diagnostics, ${counts.bug} bugs`);
for (const [bugClass, { count, smallest }] of classes) {
  const small = bugClass === 'hang' ? smallest.text : await shrink(smallest.text, smallest.file, bugClass);
  console.log(`\n=== BUG ${bugClass} (${count} cases)`);
  console.log(`replay: FUZZ_SEED=${smallest.seed} FUZZ_FROM=${smallest.index} FUZZ_CASES=1 npm run fuzz`);
  console.log(`recipe: ${smallest.recipe}; file: ${smallest.file ?? '(none: sniffed)'}`);
  console.log(`input (${smallest.text.length} chars): ${JSON.stringify(smallest.text.length > 2000 ? smallest.text.slice(0, 2000) : smallest.text)}`);
  console.log(`shrunk (${small.length} chars): ${JSON.stringify(small.slice(0, 2000))}`);
  console.log(smallest.detail.split('\n').slice(0, 8).join('\n'));
}
console.log(`\nseed ${seed}: ${classes.size === 0 ? 'no bugs' : `${classes.size} bug class(es)`}`);
process.exitCode = classes.size === 0 ? 0 : 1;
