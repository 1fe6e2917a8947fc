/**
 * Interrupting a run: SIGINT (exit 130) and SIGTERM (exit 143) stop the network, the stats are
 * printed, core/WriteLines leaves a file of whole lines holding every IP it received, and the
 * process ends on its own (on one thread, and with WriteLines on worker 1 of 2). A closed
 * stdout (EPIPE, as in `weft run g.fbp | head -1`) ends the run quietly with exit 0.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, sleep, start, tempDir, until, WEFT_SRC, type Result } from './weft.ts';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir({
    'endless.fbp': `'100000000' -> COUNT Gen(core/Generate)\nGen OUT -> IN Print(core/Output)\n`,
    'endless-repeat.fbp': `'100000000' -> COUNT Gen(core/Generate)\nGen OUT -> IN R(core/Repeat) OUT -> IN Print(core/Output)\n`,
    // A looper that ignores the network's stop (never looks at ctx.signal or its ports).
    'comps/bad/Stubborn.ts': `
import { defineComponent, port } from '${WEFT_SRC}';
export default defineComponent({
  inPorts: { in: port.number() },
  outPorts: {},
  async run() {
    process.stderr.write('stubborn: started\\n');
    for (;;) await new Promise((r) => setTimeout(r, 50));
  },
});
`,
    'stubborn.fbp': `'5' -> COUNT Gen(core/Generate)\nGen OUT -> IN S(bad/Stubborn)\n`,
  });
});
afterAll(() => t.cleanup());

/**
 * A graph writing 1..100,000,000 through a non-looper into `file`; on 2 workers Write is
 * pinned to worker 1 and the rest to worker 0, so that its IPs cross a ring.
 */
function writerGraph(file: string, workers: number): string {
  const [w0, w1] = workers > 1 ? [':worker=0', ':worker=1'] : ['', ''];
  return `'100000000' -> COUNT Gen(core/Generate${w0})\n'${file}' -> DEST Write(core/WriteLines${w1})\nGen OUT -> IN R(core/Repeat${w0}) OUT -> IN Write\n`;
}

/** Preloaded into the command: prints how the process ended (test/reliability/exit-probe.cjs). */
const PROBE = join(ROOT, 'test/reliability/exit-probe.cjs');

async function interrupt(signal: 'SIGINT' | 'SIGTERM', workers: number): Promise<{ r: Result; text: string }> {
  const out = join(t.dir, `${signal}-${workers}.txt`);
  const graph = join(t.dir, `${signal}-${workers}.fbp`);
  writeFileSync(graph, writerGraph(out, workers));
  const p = start(['run', graph, '--workers', String(workers)], { timeoutMs: 20_000, nodeArgs: ['--require', PROBE] });
  // Signal once the network is surely running (the file has lines), ~500 ms in.
  await until(() => existsSync(out) && statSync(out).size > 0, 10_000, `${out} to get lines`);
  await sleep(300);
  p.child.kill(signal);
  const r = await p.done;
  return { r, text: readFileSync(out, 'utf8') };
}

/**
 * The file holds every IP Write received: its `in` in the stats, less the DEST IIP. And the
 * process ended on its own, not by the command's grace `process.exit`.
 */
function expectAllReceived(r: Result, text: string, code: number): void {
  const row = /^Write +core\/WriteLines +\w+ +(\d+) /m.exec(r.stderr);
  expect(row, r.stderr).not.toBeNull();
  expect(text.split('\n').length - 1).toBe(Number(row![1]) - 1);
  expect(r.stderr).toMatch(new RegExp(`^exit-probe: the event loop emptied \\(exit code ${code}\\)$`, 'm'));
}

function expectWholeLines(text: string): void {
  expect(text.length).toBeGreaterThan(0);
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  // Every line a whole number, and exactly 1..n: nothing torn, nothing lost in the middle.
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== String(i + 1)) throw new Error(`line ${i + 1} is '${lines[i]}'`);
  }
}

describe.concurrent('signals', () => {
  for (const workers of [1, 2]) {
    const on = workers === 1 ? 'one thread' : `${workers} workers`;
    it(`SIGINT (${on}): exit 130, the interruption and the stats on stderr, a file of whole lines`, async () => {
      const { r, text } = await interrupt('SIGINT', workers);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(130);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^weft: interrupted \(SIGINT\) after [\d.]+ m?s$/m);
      expect(r.stderr).toMatch(/^weft stats: /m);
      expect(r.stderr).toMatch(/^box +component +state +in +out +activations +busy ms$/m);
      expect(r.stderr).toMatch(/^Write +core\/WriteLines +/m);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expectWholeLines(text);
      expectAllReceived(r, text, 130);
    });

    it(`SIGTERM (${on}): exit 143, the same report, a file of whole lines`, async () => {
      const { r, text } = await interrupt('SIGTERM', workers);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(143);
      expect(r.stderr).toMatch(/^weft: interrupted \(SIGTERM\) after /m);
      expect(r.stderr).toMatch(/^weft stats: /m);
      expectWholeLines(text);
      expectAllReceived(r, text, 143);
    });
  }

  it('a box that ignores the stop does not hold the process: SIGINT still ends it (130) after a grace period', async () => {
    const p = start(['run', join(t.dir, 'stubborn.fbp'), '--components', join(t.dir, 'comps')], { timeoutMs: 20_000 });
    await until(() => p.stderr.includes('stubborn: started'), 10_000, 'the box to start');
    const sentAt = performance.now();
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(performance.now() - sentAt).toBeLessThan(8000);
    expect(r.stderr).toMatch(/^weft: interrupted \(SIGINT\)/m);
    expect(r.stderr).toMatch(/^S +bad\/Stubborn +running/m);
  });

  it('a second signal exits at once', async () => {
    const p = start(['run', join(t.dir, 'stubborn.fbp'), '--components', join(t.dir, 'comps')], { timeoutMs: 20_000 });
    await until(() => p.stderr.includes('stubborn: started'), 10_000, 'the box to start');
    p.child.kill('SIGTERM');
    await sleep(100);
    const sentAt = performance.now();
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(143);
    expect(performance.now() - sentAt).toBeLessThan(1500);
  });

  for (const graph of ['endless.fbp', 'endless-repeat.fbp']) {
    it(`EPIPE (${graph}): the reader closes after the first line; weft exits promptly with 0, silently`, async () => {
      const p = start(['run', join(t.dir, graph)], { timeoutMs: 20_000 });
      await until(() => p.stdout.includes('\n'), 10_000, 'the first line');
      const closedAt = performance.now();
      p.child.stdout!.destroy();
      const r = await p.done;
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.startsWith('1\n')).toBe(true);
      expect(performance.now() - closedAt).toBeLessThan(5000);
    });
  }

  it('EPIPE in a shell pipeline: `weft run ... | head -n 1`', async () => {
    const graph = join(t.dir, 'endless.fbp');
    const script = `node ${JSON.stringify(BIN)} run ${JSON.stringify(graph)} | head -n 1; echo "weft exit: \${PIPESTATUS[0]}" >&2`;
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((res, rej) => {
      const child = spawn('bash', ['-c', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('error', rej);
      child.on('close', (code) => {
        clearTimeout(timer);
        res({ code, stdout, stderr });
      });
    });
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toBe('weft exit: 0\n');
    expect(r.code).toBe(0);
  });
});
