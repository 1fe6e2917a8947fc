/**
 * The code a worker thread runs (from its bundle through boot-bundle.mjs, or through boot.mjs
 * and tsx; bundle.ts decides): build this worker's boxes, run
 * its scheduler when told, answer the main thread's questions, report one result.
 *
 * Components are loaded here by name, as the main thread loaded them (the built-in ones,
 * then the components directories), so TypeScript components work in workers too. Output
 * (ctx.stdout) goes to the main thread as `out` messages, with back-pressure: a write
 * returns false once OUTPUT_WINDOW characters are unacknowledged, and 'drain' follows.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { builtins } from '../../components/index.ts';
import type { TextSink } from '../component/define.ts';
import { isWeftError, WeftError } from '../errors.ts';
import { buildNetwork, type BuiltNetwork } from '../network/build.ts';
import { Network, type RunResult, type WorkerStats } from '../network/network.ts';
import { handedTo } from '../scheduler/direct.ts';
import { beforeUserImport, Registry } from '../network/registry.ts';
import { registerForComponents } from '../bundle/cache.mjs';
import { WorkerHost } from './host.ts';
import { coreOf, pinThisThread } from './pin.ts';
import { BEAT_STRIDE } from './watchdog.ts';
import type { FromWorker, ToWorker, WireResult, WorkerInit } from './protocol.ts';

const OUTPUT_WINDOW = 1 << 20;
const POST_CHUNK = 1 << 16;

const port = parentPort!;
const init = (workerData as { init: WorkerInit }).init;
// Started from the bundle: register tsx only if a component from a file is to be loaded.
const { tsx, bundle } = workerData as { tsx?: { esm: string; cjs: string }; bundle?: string };
if (tsx !== undefined && bundle !== undefined) beforeUserImport(() => registerForComponents(tsx, bundle));
/**
 * ctx.stdout of this worker's boxes. Writes are gathered and posted as one `out` message at
 * the worker's next event-loop turn (when it parks, or at the scheduler's next yield, within
 * YIELD_INTERVAL_MS), at POST_CHUNK characters, or before any other message (so a result never
 * overtakes output). A message per write cost core/Output about 0.5 µs a line on a fast stream
 * (it writes whenever its input runs dry: a post, a write on the main thread and an ack each
 * time). Back-pressure counts what is posted and what is gathered.
 */
class OutputSink extends EventEmitter implements TextSink {
  private unacked = 0;
  private pending = '';
  private scheduled = false;
  private readonly flushTask = () => {
    this.scheduled = false;
    this.flush();
  };
  write(chunk: string): boolean {
    if (chunk.length === 0) return true;
    this.unacked += chunk.length;
    this.pending += chunk;
    if (this.pending.length >= POST_CHUNK) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushTask);
    }
    return this.unacked < OUTPUT_WINDOW;
  }
  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    port.postMessage({ t: 'out', text } satisfies FromWorker);
  }
  ack(n: number): void {
    const before = this.unacked;
    this.unacked -= n;
    if (before >= OUTPUT_WINDOW && this.unacked < OUTPUT_WINDOW) this.emit('drain');
  }
}
const stdout = new OutputSink();
const post = (m: FromWorker) => {
  stdout.flush();
  port.postMessage(m);
};

async function build() {
  const registry = new Registry(builtins, init.components);
  const placement = new Map(init.placement);
  const mine = init.graph.nodes.filter((n) => placement.get(n.id) === init.worker);
  for (const name of new Set(mine.map((n) => n.component))) {
    const e = await registry.load(name);
    if (!e || e.kind !== 'component') throw new WeftError('E_COMPONENT', `component ${name} could not be loaded in worker ${init.worker}`);
  }
  const host = new WorkerHost(
    init.doorbells,
    init.worker,
    () => post({ t: 'quiescent' }),
    (hold) => (hold ? port.ref() : port.unref()),
  );
  const built = buildNetwork(
    init.graph,
    (node) => {
      const e = registry.entry(node.component);
      if (!e || e.kind !== 'component') throw new WeftError('E_INTERNAL', `component ${node.component} not loaded`);
      return e.component;
    },
    { ...init.options, stdout },
    { worker: init.worker, workers: init.workers, placement, edgeIndex: init.edgeIndex, rings: new Map(init.rings), queues: new Map(init.queues), orders: new Map(init.orders), host, arena: init.arena },
  );
  built.sched.external = host;
  built.sched.beat = new Int32Array(init.beats);
  built.sched.beatAt = init.worker * BEAT_STRIDE;
  // No box yet: the watchdog does not count the build and start-up stretches against a box.
  built.sched.beat[built.sched.beatAt + 1] = -1;
  return { built, host, net: new Network(built) };
}

function toWire(r: RunResult, lateDrops: number): WireResult {
  const f = r.failure;
  return {
    status: r.status,
    stats: r.stats,
    failure: f && { box: f.box, component: f.component, message: f.message, code: f.code, stack: f.stack, worker: init.worker },
    stalled: r.stalled,
    reason: r.reason,
    lateDrops,
  };
}

function workerStats(built: BuiltNetwork, host: WorkerHost, elapsedMs: number): WorkerStats {
  let activations = 0;
  for (const b of built.sched.boxes) activations += b.activations + handedTo(b);
  const sum = (ends: { carried: number }[] = []) => ends.reduce((a, e) => a + e.carried, 0);
  return {
    worker: init.worker,
    boxes: built.sched.boxes.length,
    activations,
    ringOut: sum(built.wiring?.sendEnds),
    ringIn: sum(built.wiring?.receiveEnds),
    busyMs: Math.max(0, elapsedMs - host.idleMs),
    idleMs: host.idleMs,
  };
}

async function main(): Promise<void> {
  let parts: Awaited<ReturnType<typeof build>>;
  try {
    parts = await build();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ t: 'startup-error', message: err.message, code: isWeftError(err) ? err.code : undefined, stack: err.stack });
    port.close();
    return;
  }
  const { built, host, net } = parts;
  let startedAt = -1;
  const begin = () => {
    if (startedAt >= 0) return;
    startedAt = performance.now();
    void net.run().then((r) => {
      built.sched.beat[built.sched.beatAt + 1] = -1; // gathering statistics is nobody's stretch
      let late = 0;
      for (const to of built.connections) late += 'lateDiscards' in to.conn! ? (to.conn as { lateDiscards(): number }).lateDiscards() : 0;
      // Counted: now free the arena blocks of those late records (the main thread reads the
      // arena's counters once every worker has reported).
      built.wiring?.releaseLate();
      const result = toWire(r, late);
      result.worker = workerStats(built, host, performance.now() - startedAt);
      post({ t: 'result', result });
      port.close();
    });
  };
  port.on('message', (m: ToWorker) => {
    switch (m.t) {
      case 'start':
        begin();
        break;
      case 'snapshot':
        post({ t: 'snapshot', live: built.sched.live, ready: built.sched.readyCount + built.sched.running, waits: net.waits(), activity: net.activity() });
        break;
      case 'finish':
        built.sched.finish();
        host.parker.wakeSelf();
        break;
      case 'stop':
        built.sched.stop(m.reason);
        host.parker.wakeSelf();
        // Stopped before it started (a stop while the other workers were still starting):
        // run anyway, so that the result (stopped, with its stats) is reported.
        begin();
        break;
      case 'ack':
        stdout.ack(m.bytes);
        break;
      case 'activity':
        post({ t: 'activity', activity: net.activity() });
        break;
    }
  });
  post({ t: 'ready', unpinned: init.pin ? (pinThisThread(coreOf(init.worker, availableParallelism())) ?? undefined) : undefined });
}

void main();
