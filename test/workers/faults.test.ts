/**
 * Faults on worker threads: every one ends the run (the run() promise resolves, no hang) with
 * the right status and a report that names what went wrong, and every worker thread is gone
 * afterwards. Fixture components: test/fixtures/components/workers/.
 */
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createRegistry, defineComponent, formatDeadlock, MultiNetwork, network, port, run, type RunResult, type RunnableNetwork } from '../../src/index.ts';
import { createCaptured, FIXTURES, G, within } from './helpers.ts';

const HANG_MS = 10_000;

function what(r: RunResult): string {
  if (r.failure) return `failed: ${r.failure.box} (${r.failure.component}): [${r.failure.code ?? ''}] ${r.failure.message}`;
  if (r.deadlock) return formatDeadlock(r.deadlock);
  if (r.stalled) return `stalled: ${JSON.stringify(r.stalled)}`;
  return r.status;
}

/** The outcome, and the boxes that did not finish with their states (what a report leaves out). */
function outcome(r: RunResult): string {
  const notDone = r.stats.boxes.filter((b) => b.state !== 'done').map((b) => `${b.box}:${b.state}`);
  return notDone.length > 0 ? `${what(r)}\nboxes not done: ${notDone.join(', ')}` : what(r);
}

/** The worker threads of a MultiNetwork (a private field: what "every worker stopped" is checked on). */
function threadsOf(net: RunnableNetwork): Worker[] {
  expect(net).toBeInstanceOf(MultiNetwork);
  const workers = (net as unknown as { workers?: Worker[] }).workers;
  expect(Array.isArray(workers), 'MultiNetwork keeps its Worker objects in `workers`').toBe(true);
  return workers!;
}

/**
 * Await a run started at `t0` (failing the test on a hang); check that every worker thread has
 * exited and that run() resolved soon after the outcome: from the outcome (where
 * stats.elapsedMs ends) to run() resolving the workers are reaped, which is quick unless it
 * waits out a grace period (STOP_GRACE_MS, 2 s) for a thread that is gone already.
 */
async function settled(net: RunnableNetwork, done: Promise<RunResult>, t0: number, workers: number): Promise<RunResult> {
  let result: RunResult;
  try {
    result = await within(done, HANG_MS, 'run()');
  } catch (e) {
    // A hang: end the threads, so that the rest of the file does not share the CPU with them.
    await Promise.all(threadsOf(net).map((t) => t.terminate()));
    throw e;
  }
  const reapMs = performance.now() - t0 - result.stats.elapsedMs;
  const threads = threadsOf(net);
  expect(threads.length).toBe(workers);
  expect(threads.map((t) => t.threadId), 'every worker thread has exited').toEqual(threads.map(() => -1));
  expect(reapMs, `run() resolved ${reapMs.toFixed(0)} ms after the outcome (${outcome(result)})`).toBeLessThan(1000);
  return result;
}

/** Run to the end: see settled(). */
async function runAll(graph: G, workers: number) {
  const { net, out } = await createCaptured(graph.graph, { workers });
  const t0 = performance.now();
  const result = await settled(net, net.run(), t0, workers);
  return { result, lines: out.lines(), net };
}

const Pass = defineComponent({
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  process: {
    in(ip, out) {
      out.out.send(ip);
    },
  },
});

describe('faults on workers', () => {
  it('a box that throws: failed, exit 1, the box, its component and the message; all workers stop', async () => {
    const g = new G()
      .node('Gen', 'core/Generate', { worker: 0 })
      .node('T', 'workers/Throw', { worker: 1 })
      .node('Out', 'core/Output', { worker: 0 })
      .iip('Gen.count', 1_000_000)
      .edge('Gen.out', 'T.in')
      .edge('T.out', 'Out.in');
    const { result, lines } = await runAll(g, 2);
    expect(result.status, outcome(result)).toBe('failed');
    expect(result.exitCode).toBe(1);
    expect(result.failure).toMatchObject({ box: 'T', component: 'workers/Throw' });
    expect(result.failure!.message).toMatch(/Throw: refusing the number 3/);
    // 1 and 2 may have been printed before the failure stopped the network; never 3 or more.
    expect(['1', '2'].slice(0, lines.length)).toEqual(lines);
  });

  it('a deadlock across workers (Split -> Concat, capacity 1, on different workers): exit 3, blocked boxes with ports, a cycle', async () => {
    const g = new G()
      .node('Gen', 'core/Generate', { worker: 0 })
      .node('Split', 'core/Split', { worker: 0 })
      .node('Concat', 'core/Concat', { worker: 1 })
      .node('Print', 'core/Output', { worker: 1 })
      .iip('Gen.count', 10)
      .edge('Gen.out', 'Split.in')
      .edge('Split.out[0]', 'Concat.in[0]', 1)
      .edge('Split.out[1]', 'Concat.in[1]', 1)
      .edge('Concat.out', 'Print.in');
    const { result, lines } = await runAll(g, 2);
    expect(result.status, outcome(result)).toBe('deadlock');
    expect(result.exitCode).toBe(3);
    const report = result.deadlock!;
    expect(report).toBeDefined();
    const blocked = Object.fromEntries(report.blocked.map((w) => [w.box, w]));
    expect(blocked.Split).toMatchObject({
      component: 'core/Split',
      kind: 'send',
      port: 'out[1]',
      edge: 'Split.out[1] -> Concat.in[1]',
      capacity: 1,
      waitsOn: ['Concat'],
    });
    expect(blocked.Concat).toMatchObject({
      component: 'core/Concat',
      kind: 'receive',
      port: 'in[0]',
      edge: 'Split.out[0] -> Concat.in[0]',
      fill: 0,
      capacity: 1,
      waitsOn: ['Split'],
    });
    expect(blocked.Print).toMatchObject({ component: 'core/Output', kind: 'receive', port: 'in', edge: 'Concat.out -> Print.in' });
    expect(report.cycle.length).toBe(3);
    expect(report.cycle[0]).toBe(report.cycle[2]);
    expect([...report.cycle].sort()).toEqual(['Concat', 'Split', report.cycle[0]].sort());
    expect(formatDeadlock(report)).toMatch(/^cycle: (Split -> Concat -> Split|Concat -> Split -> Concat)$/m);
    // What got through before the deadlock, in order (the ring of in[0] holds one IP).
    expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => String(i + 1)));
    expect(lines.length).toBeLessThan(10);
  });

  it('a worker that calls process.exit(7): failed, naming the worker, its exit code and the boxes it hosted', async () => {
    const g = new G()
      .node('Gen', 'core/Generate', { worker: 0 })
      .node('X', 'workers/Exit', { worker: 1 })
      .node('P', 'stress/PassNL', { worker: 1 })
      .node('Out', 'core/Output', { worker: 0 })
      .iip('Gen.count', 1_000_000)
      .edge('Gen.out', 'X.in')
      .edge('X.out', 'P.in')
      .edge('P.out', 'Out.in');
    const { result } = await runAll(g, 2);
    expect(result.status, outcome(result)).toBe('failed');
    expect(result.exitCode).toBe(1);
    const m = result.failure!.message;
    expect(result.failure!.box).toMatch(/worker 1/);
    expect(m).toMatch(/worker 1/);
    expect(m).toMatch(/\b7\b/);
    expect(m).toMatch(/\bX\b/);
    expect(m).toMatch(/\bP\b/);
    expect(m).not.toMatch(/\bGen\b|\bOut\b/);
  });

  it('an exception thrown from a timer callback outside any box: failed, naming the worker, the error and its boxes', async () => {
    const g = new G()
      .node('Gen', 'core/Generate', { worker: 0 })
      .node('TT', 'workers/TimerThrow', { worker: 1 })
      .node('Out', 'core/Output', { worker: 0 })
      .iip('Gen.count', 100_000_000)
      .edge('Gen.out', 'TT.in')
      .edge('TT.out', 'Out.in');
    const { result } = await runAll(g, 2);
    expect(result.status, outcome(result)).toBe('failed');
    expect(result.exitCode).toBe(1);
    const m = result.failure!.message;
    expect(m).toMatch(/worker 1/);
    expect(m).toMatch(/thrown from a timer callback/);
    expect(m).toMatch(/\bTT\b/);
  });

  it('a component registered from code cannot run on workers: E_USAGE (builder and registry.add alike)', async () => {
    const build = () =>
      network()
        .node('src', 'core/Generate', { count: 3 })
        .node('mine', Pass)
        .node('out', 'core/Output')
        .connect('src.out', 'mine.in')
        .connect('mine.out', 'out.in');
    const sink = { write: () => true, once: () => undefined };
    await expect(build().run({ workers: 2, stdout: sink })).rejects.toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(/code\/mine.*\bmine\b.*registered from code/),
    });
    await expect(build().create({ workers: 2, stdout: sink })).rejects.toMatchObject({ code: 'E_USAGE' });

    const registry = createRegistry([FIXTURES]);
    registry.add('mine/Pass', Pass);
    const g = new G().node('src', 'core/Generate').node('p', 'mine/Pass').node('out', 'core/Output').iip('src.count', 3).edge('src.out', 'p.in').edge('p.out', 'out.in');
    await expect(run(g.graph, { registry, workers: 2, stdout: sink })).rejects.toMatchObject({
      code: 'E_USAGE',
      message: expect.stringMatching(/mine\/Pass.*\bp\b.*registered from code/),
    });
    // One worker is fine.
    expect((await build().run({ workers: 1, stdout: sink })).status).toBe('finished');
    expect((await run(g.graph, { registry, workers: 1, stdout: sink })).status).toBe('finished');
  });

  it('a looper awaiting a promise nothing settles, on a worker: deadlock with `stalled` naming it (no hang)', async () => {
    const g = new G()
      .node('Gen', 'core/Generate', { worker: 0 })
      .node('H', 'workers/Hang', { worker: 1 })
      .node('Out', 'core/Output', { worker: 0 })
      .iip('Gen.count', 5)
      .edge('Gen.out', 'H.in')
      .edge('H.out', 'Out.in');
    const { result } = await runAll(g, 2);
    expect(result.status, outcome(result)).toBe('deadlock');
    expect(result.exitCode).toBe(3);
    expect(result.stalled).toEqual([{ box: 'H', component: 'workers/Hang' }]);
  });

  it('a box sending a function value to another worker: failed, E_ENCODE naming the connection', async () => {
    const g = new G()
      .node('Gen', 'core/Generate', { worker: 0 })
      .node('F', 'workers/SendFn', { worker: 0 })
      .node('Out', 'core/Output', { worker: 1 })
      .iip('Gen.count', 3)
      .edge('Gen.out', 'F.in')
      .edge('F.out', 'Out.in');
    const { result, lines } = await runAll(g, 2);
    expect(result.status, outcome(result)).toBe('failed');
    expect(result.exitCode).toBe(1);
    expect(result.failure).toMatchObject({ box: 'F', component: 'workers/SendFn', code: 'E_ENCODE' });
    expect(result.failure!.message).toMatch(/F\.out -> Out\.in/);
    expect(result.failure!.message).toMatch(/function/);
    expect(['1', '2', '3'].slice(0, lines.length)).toEqual(lines);
  });
});

describe('stop() on a MultiNetwork', () => {
  const long = () => new G().node('Gen', 'core/Generate', { worker: 0 }).node('Out', 'core/Output', { worker: 1 }).iip('Gen.count', 100_000_000).edge('Gen.out', 'Out.in');

  it('100 ms after run() (the workers may still be starting): interrupted, exit 130', async () => {
    const { net } = await createCaptured(long().graph, { workers: 2 });
    const t0 = performance.now();
    const done = net.run();
    await new Promise((r) => setTimeout(r, 100));
    net.stop('test stop');
    const result = await settled(net, done, t0, 2);
    expect(result.status, outcome(result)).toBe('interrupted');
    expect(result.exitCode).toBe(130);
    expect(result.reason).toBe('test stop');
  });

  it('while IPs are flowing: interrupted, exit 130, what was printed is 1..k in order', async () => {
    const { net, out } = await createCaptured(long().graph, { workers: 2 });
    const t0 = performance.now();
    const done = net.run();
    while (out.size < 300 && performance.now() - t0 < HANG_MS) await new Promise((r) => setTimeout(r, 5));
    expect(out.size, 'output before the stop').toBeGreaterThanOrEqual(300);
    net.stop();
    const result = await settled(net, done, t0, 2);
    expect(result.status, outcome(result)).toBe('interrupted');
    expect(result.exitCode).toBe(130);
    expect(result.reason).toBe('interrupted');
    const lines = out.lines();
    expect(lines.length).toBeLessThan(100_000_000);
    expect(lines.every((l, i) => l === String(i + 1))).toBe(true);
  });
});
