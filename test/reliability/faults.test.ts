/**
 * The fault suite, through the real command: `weft run GRAPH --workers 2`, the faulty box pinned
 * to worker 1 (`X(comp:worker=1)`), its neighbours on worker 0. Every fault must end the run:
 *
 * - exit code 1 (130 after SIGINT), within HANG_MS (past it the child is killed and the test
 *   fails as a hang; no test kills it otherwise);
 * - stderr naming the box, its component and its worker (`weft: box T (comp) on worker 1
 *   failed: ...`), or for a dead worker the worker, why it died and the boxes it hosted; the
 *   error code the checked mode gives for ownership misuse (src/ip/ip.ts);
 * - no TypeError or internal error of the runtime on stderr;
 * - the process ending on its own: test/reliability/exit-probe.cjs, preloaded, prints how it
 *   ended, and it must be "the event loop emptied", not the command's grace `process.exit`. A
 *   worker thread still alive would hold the loop, so this also says every worker stopped.
 *
 * Faults: a box throws synchronously, rejects after an await, throws mid-stream; sends an IP it
 * already sent, or one another box owns; drops one twice; leaks one; reads one after sending
 * it; a worker dies of an uncaught error outside a box, of process.exit, of its heap limit
 * (`--worker-heap`); a box loops forever (the watchdog's report, then SIGINT; with `timeout`,
 * E_TIMEOUT), also while a box on the other worker fails. SIGINT and SIGTERM mid-run with
 * core/WriteLines on a worker are in test/e2e/signals.test.ts (1 and 2 workers).
 * Fixture components: test/fixtures/components/reliability/ (and workers/ for the deaths).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/index.ts';
import { readText, start, tempDir, until, type Result, type Spawned } from '../e2e/weft.ts';
import { FIXTURES } from '../workers/helpers.ts';

/**
 * Past this the child is killed (SIGKILL) and the test fails: a hang. Generous: a run takes
 * 0.6–1 s alone, several times that while other suites share the two cores.
 */
const HANG_MS = 30_000;
const PROBE = join(import.meta.dirname, 'exit-probe.cjs');
/** Enough IPs that only the fault can end the run. */
const ENDLESS = 100_000_000;

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir({});
});
afterAll(() => t.cleanup());

let graphs = 0;
/** Start `weft run` on `fbp` (written to a file) with 2 workers, the fixtures and the probe. */
function startFault(fbp: string, args: string[] = []): Spawned {
  const file = join(t.dir, `g${graphs++}.fbp`);
  writeFileSync(file, fbp);
  return start(['run', file, '--workers', '2', '--components', FIXTURES, ...args], { timeoutMs: HANG_MS, nodeArgs: ['--require', PROBE] });
}

const runFault = (fbp: string, args: string[] = []): Promise<Result> => startFault(fbp, args).done;

/** Generate (worker 0) -> BOX (worker 1, `metadata`) -> Output (worker 0), with IIPs for BOX. */
function through(box: string, component: string, iips: Record<string, string | number> = {}, metadata = ''): string {
  return [
    `'${ENDLESS}' -> COUNT Gen(core/Generate:worker=0)`,
    ...Object.entries(iips).map(([p, v]) => `'${v}' -> ${p.toUpperCase()} ${box}`),
    `Gen OUT -> IN ${box}(${component}:worker=1${metadata}) OUT -> IN Print(core/Output:worker=0)`,
    '',
  ].join('\n');
}

/** Ended with `code`, by itself, in time, without a runtime error. */
function expectEnded(r: Result, code: number): void {
  expect(r.signal, `killed after ${HANG_MS} ms (a hang); stderr:\n${r.stderr}`).toBeNull();
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr, 'the process ended on its own').toMatch(new RegExp(`^exit-probe: the event loop emptied \\(exit code ${code}\\)$`, 'm'));
  expect(r.stderr).not.toMatch(/TypeError|ReferenceError|RangeError|E_INTERNAL/);
}

/** Exit 1 and the one-line failure report: `weft: box BOX (COMPONENT) on worker W failed: REST`. */
function expectBoxFailure(r: Result, box: string, component: string, worker: number, rest: RegExp): void {
  expectEnded(r, 1);
  const head = /^weft: box (\S+) \((\S+)\) on worker (\d+) failed: (.*)$/m.exec(r.stderr);
  expect(head, r.stderr).not.toBeNull();
  expect(head!.slice(1, 4)).toEqual([box, component, String(worker)]);
  expect(head![4]).toMatch(rest);
}

/** stdout is 1..k, in order, with k in [min, max]. */
function expectPrefix(stdout: string, min: number, max: number): void {
  const lines = stdout === '' ? [] : stdout.replace(/\n$/, '').split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(min);
  expect(lines.length).toBeLessThanOrEqual(max);
  lines.forEach((l, i) => expect(l).toBe(String(i + 1)));
}

/** The report of a dead worker: `weft: box <worker 1> failed: worker 1 WHY; it hosted ...`. */
function expectDeadWorker(r: Result, why: RegExp, hosted: string): void {
  expectEnded(r, 1);
  const m = /^weft: box <worker 1> failed: worker 1 (.*); it hosted (.*?)(?:; the box it activated last: (\S+))?$/m.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  expect(m![1]).toMatch(why);
  expect(m![2]).toBe(hosted);
}

// One concurrent suite: each run is a few processes' start-up (tsx in the main thread and in
// two workers, about 1 s of CPU), so the file is CPU-bound; a generous timeout per test, as
// five run at once on two cores.
describe.concurrent('faults through `weft run --workers 2`', { timeout: HANG_MS + 20_000 }, () => {
  describe('a box fails on worker 1: exit 1, the box, component and worker named', () => {
    it('throws synchronously in its handler (first IP)', async () => {
      const r = await runFault(through('T', 'reliability/ThrowAt'));
      expectBoxFailure(r, 'T', 'reliability/ThrowAt', 1, /^ThrowAt: refusing IP number 1$/);
      expect(r.stderr).toMatch(/^ {2}at .*ThrowAt\.ts:\d+:\d+\)?$/m); // the stack, indented
      expect(r.stdout).toBe('');
    });

    it('rejects asynchronously (a looper throws after an await)', async () => {
      const r = await runFault(through('R', 'reliability/RejectLater', { at: 3 }));
      expectBoxFailure(r, 'R', 'reliability/RejectLater', 1, /^RejectLater: gave up at IP number 3, after an await$/);
      expectPrefix(r.stdout, 0, 2);
    });

    it('throws in an activation mid-stream (IP 1000, after 999 went through)', async () => {
      const r = await runFault(through('T', 'reliability/ThrowAt', { at: 1000 }));
      expectBoxFailure(r, 'T', 'reliability/ThrowAt', 1, /^ThrowAt: refusing IP number 1000$/);
      // Print (worker 0) had taken all but what the ring holds when T failed.
      expectPrefix(r.stdout, 500, 999);
    });
  });

  describe('ownership misuse on worker 1 (checked mode): exit 1, the code and the misuse named', () => {
    const misuse = (how: string) => runFault(through('M', 'reliability/Misuse', { how }));

    it('sends an IP it already sent: E_OWNERSHIP', async () => {
      const r = await misuse('send-twice');
      expectBoxFailure(r, 'M', 'reliability/Misuse', 1, /^\[E_OWNERSHIP\] box M tried to send an IP it does not own: it was already sent$/);
      expectPrefix(r.stdout, 0, 1);
    });

    it('sends an IP another box owns: E_OWNERSHIP naming the owner', async () => {
      // A (hold) keeps the first IP and tells B (steal), on the same worker, to send it.
      const r = await runFault(
        [
          `'${ENDLESS}' -> COUNT Gen(core/Generate:worker=0)`,
          `'hold' -> HOW A`,
          `'steal' -> HOW B`,
          `Gen OUT -> IN A(reliability/Misuse:worker=1) OUT -> IN B(reliability/Misuse:worker=1)`,
          `B OUT -> IN Print(core/Output:worker=0)`,
          '',
        ].join('\n'),
      );
      expectBoxFailure(r, 'B', 'reliability/Misuse', 1, /^\[E_OWNERSHIP\] box B tried to send an IP it does not own: it is owned by A$/);
      expect(r.stdout).toBe('');
    });

    it('drops an IP twice: E_OWNERSHIP', async () => {
      const r = await misuse('drop-twice');
      expectBoxFailure(r, 'M', 'reliability/Misuse', 1, /^\[E_OWNERSHIP\] box M tried to drop an IP it does not own: it was already dropped$/);
      expect(r.stdout).toBe('');
    });

    it('ends an activation still owning an IP: E_LEAK', async () => {
      const r = await misuse('leak');
      expectBoxFailure(r, 'M', 'reliability/Misuse', 1, /^\[E_LEAK\] box M \(reliability\/Misuse\) ended an activation still owning 1 IP; /);
      expect(r.stdout).toBe('');
    });

    it('reads ip.data after sending the IP: E_OWNERSHIP', async () => {
      const r = await misuse('touch-after-send');
      expectBoxFailure(r, 'M', 'reliability/Misuse', 1, /^\[E_OWNERSHIP\] an IP was used after it was sent \(last owner: M\); /);
      expect(r.stdout).not.toContain('Misuse: read');
      expectPrefix(r.stdout, 0, 1);
    });
  });

  describe('worker 1 dies: exit 1, the worker, why, and the boxes it hosted', () => {
    it('an uncaught error outside any box (a timer callback)', async () => {
      const r = await runFault(through('TT', 'workers/TimerThrow'));
      expectDeadWorker(r, /^failed: TimerThrow: thrown from a timer callback$/, '1 box: TT (workers/TimerThrow)');
    });

    it('process.exit(7) in a box', async () => {
      const r = await runFault(
        [
          `'${ENDLESS}' -> COUNT Gen(core/Generate:worker=0)`,
          `Gen OUT -> IN X(workers/Exit:worker=1) OUT -> IN R(core/Repeat:worker=1) OUT -> IN Print(core/Output:worker=0)`,
          '',
        ].join('\n'),
      );
      expectDeadWorker(r, /^exited with code 7 before its boxes finished$/, '2 boxes: X (workers/Exit), R (core/Repeat)');
      expect(r.stderr).toMatch(/; the box it activated last: X$/m);
    });

    it('out of memory under --worker-heap 64', async () => {
      const r = await runFault(through('H', 'reliability/Hoard'), ['--worker-heap', '64']);
      expectDeadWorker(r, /^ran out of memory \(its heap limit: 64 MiB, set by --worker-heap \/ workerHeapMiB\)$/, '1 box: H (reliability/Hoard)');
      expect(r.stderr).toMatch(/; the box it activated last: H$/m);
      expect(r.ms, 'an out-of-memory death is quick').toBeLessThan(15_000);
    });
  });

  describe('a box that loops forever on worker 1', () => {
    it('is reported by the watchdog; SIGINT then ends the run (130): the stuck worker is terminated, the stats printed', async () => {
      const p = startFault(through('S', 'reliability/Spin'), ['--watchdog', '300']);
      await until(() => p.stderr.includes('weft: watchdog: box S '), 15_000, 'the watchdog report');
      expect(p.stderr).toMatch(/^weft: watchdog: box S \(reliability\/Spin\) on worker 1 has run \d+ ms without reaching a port operation$/m);
      const sentAt = performance.now();
      p.child.kill('SIGINT');
      const r = await p.done;
      expectEnded(r, 130);
      // The worker's own grace (2 s) and the margin (1 s), then the terminate.
      expect(performance.now() - sentAt).toBeLessThan(15_000);
      expect(r.stderr).toMatch(/^weft: worker 1 did not stop within \d+ ms \(the box it activated last: S \(reliability\/Spin\)\); it was terminated$/m);
      expect(r.stderr).toMatch(/^weft: interrupted \(SIGINT\) after /m);
      expect(r.stderr).toMatch(/^weft stats: /m);
      expect(r.stderr).toMatch(/^S +reliability\/Spin +1 +\d+$/m); // the hog table
    });

    it('with metadata timeout=300: E_TIMEOUT, exit 1, its worker stopped', async () => {
      const r = await runFault(through('S', 'reliability/Spin', {}, ',timeout=300'), ['--watchdog', '5000']);
      expectBoxFailure(r, 'S', 'reliability/Spin', 1, /^\[E_TIMEOUT\] box S \(reliability\/Spin\) went \d+ ms without a port operation \(its timeout is 300 ms\); worker 1 was stopped$/);
      expect(r.ms).toBeLessThan(15_000);
    });

    it('while a box on worker 0 fails: exit 1 naming that box, the stuck worker terminated', async () => {
      const r = await runFault(
        [
          `'${ENDLESS}' -> COUNT Gen(core/Generate:worker=0)`,
          `'2000' -> AT T`,
          `Gen OUT -> IN T(reliability/ThrowAt:worker=0) OUT -> IN Print(core/Output:worker=0)`,
          `'1' -> COUNT Gen2(core/Generate:worker=1)`,
          `Gen2 OUT -> IN S(reliability/Spin:worker=1) OUT -> IN Print2(core/Output:worker=1)`,
          '',
        ].join('\n'),
      );
      expectBoxFailure(r, 'T', 'reliability/ThrowAt', 0, /^ThrowAt: refusing IP number 2000$/);
      expect(r.stderr).toMatch(/^weft: worker 1 did not stop within \d+ ms \(the box it activated last: S \(reliability\/Spin\)\); it was terminated$/m);
    });
  });

  describe('--worker-heap / workerHeapMiB', () => {
    it('a network within the limit runs as without it', async () => {
      const r = await start(['run', 'examples/wordcount/graph.fbp', '--workers', '2', '--worker-heap', '32'], { timeoutMs: HANG_MS, nodeArgs: ['--require', PROBE] }).done;
      expectEnded(r, 0);
      expect(r.stdout).toBe(readText('examples/wordcount/expected.txt'));
    });

    it('a value out of 16..1048576 MiB is a usage error: exit 2 (CLI), E_USAGE (API)', async () => {
      const bads = ['8', '1.5', 'x', '2000000'];
      const results = await Promise.all(bads.map((bad) => start(['run', 'examples/wordcount/graph.fbp', '--worker-heap', bad]).done));
      results.forEach((r, i) => {
        expect(r.code, bads[i]).toBe(2);
        expect(r.stderr).toContain(`--worker-heap must be an integer in 16..1048576, got '${bads[i]}'`);
        expect(r.stdout).toBe('');
      });
      for (const workerHeapMiB of [8, 1.5, NaN, 2 ** 21]) {
        await expect(run('examples/wordcount/graph.fbp', { workers: 2, workerHeapMiB })).rejects.toMatchObject({
          code: 'E_USAGE',
          message: expect.stringMatching(/^workerHeapMiB must be an integer in 16\.\.1048576, got /),
        });
      }
    });
  });
});
