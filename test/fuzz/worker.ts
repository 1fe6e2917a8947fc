/**
 * Worker-thread side of `npm run fuzz`: runs cases [from, to) of a seed and reports each bug
 * and the final counts to the runner. Before each case it stores the case index and the time
 * in `progress`, so that the runner can see a case that never ends and kill the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fuzzLoop } from './loop.ts';

const { seed, from, to, progress } = workerData as { seed: number; from: number; to: number; progress: SharedArrayBuffer };
const slots = new Float64Array(progress);

const counts = await fuzzLoop(seed, from, to, {
  onCase: (index) => {
    slots[1] = performance.timeOrigin + performance.now();
    slots[0] = index;
  },
  onBug: (found) => parentPort!.postMessage({ type: 'bug', found }),
});
parentPort!.postMessage({ type: 'done', counts });
