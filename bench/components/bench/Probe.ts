// Benchmark component: a looper with no connections that measures its thread. `at` ms after
// its first activation it runs gc() (when the process was started with --expose-gc) and
// reports {bench: 'probe', thread, started, at, heapUsed, heapTotal} for the isolate of the
// thread it runs on (v8.getHeapStatistics(): one worker's heap, or the main thread's), then
// returns. Pin one to each worker (node metadata `worker: K`) to see every isolate.
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import { threadId } from 'node:worker_threads';
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock, report } from '../_report.ts';

export default defineComponent({
  inPorts: { at: port.number() },
  outPorts: {},
  async run({ at }, _out, ctx) {
    const started = clock();
    let ip = at.receive();
    if (ip instanceof Promise) ip = await ip;
    if (ip === null || ip.kind !== 'data') throw new Error('Probe: no `at`');
    const ms = ip.data;
    ctx.drop(ip);
    await sleep(ms, undefined, { signal: ctx.signal }).catch(() => undefined);
    if (ctx.signal.aborted) return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      gc();
    }
    const h = v8.getHeapStatistics();
    report(ctx.stdout, 'probe', { thread: threadId, started, at: clock(), heapUsed: h.used_heap_size, heapTotal: h.total_heap_size, gc: !!gc });
  },
});
