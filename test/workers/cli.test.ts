/**
 * `weft run ... --workers N` end to end (the real command, as test/e2e/ runs it): runs that
 * print the same as on one thread, `--explain` (the placement, nothing run), and the usage
 * errors of --workers and of pins (exit 2).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readText, tempDir, weft } from '../e2e/weft.ts';

let t: ReturnType<typeof tempDir>;
const at = (f: string) => join(t.dir, f);

beforeAll(() => {
  t = tempDir({
    // Pinned nodes and a file written by the run (so that --explain can be seen not to run).
    'pinned.fbp': [
      `'200' -> COUNT Gen(core/Generate:worker=0)`,
      `Gen OUT -> IN A(core/Repeat)`,
      `A OUT -> IN B(core/Repeat:worker=1)`,
      `B OUT -> IN Print(core/Output)`,
      `Print OUT -> IN Write(core/WriteLines)`,
      `'DEST_FILE' -> DEST Write`,
      '',
    ].join('\n'),
    'bad-pin.fbp': `'5' -> COUNT Gen(core/Generate)\nGen OUT -> IN A(core/Repeat:worker=5)\nA OUT -> IN Print(core/Output)\n`,
    'stress.fbp': [
      `'1' -> S Src(stress/Source:worker=0)`,
      `'300' -> N Src`,
      `Src OUT -(1)-> IN T(stress/SplitTag:worker=1)`,
      `T OUT[0] -(2)-> IN P(stress/PassNL:worker=0)`,
      `T OUT[1] -(1)-> IN Q(stress/PassLooper:worker=1)`,
      `P OUT -> IN Print(core/Output)`,
      `Q OUT -> IN Print`,
      '',
    ].join('\n'),
  });
});
afterAll(() => t.cleanup());

/** pinned.fbp with its WriteLines destination inside the temporary directory. */
function pinnedGraph(dest: string): string {
  const f = at(`pinned-${dest}.fbp`);
  writeFileSync(f, readFileSync(at('pinned.fbp'), 'utf8').replace('DEST_FILE', at(dest)));
  return f;
}

const numbers = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}\n`).join('');

describe.concurrent('weft run --workers', () => {
  it('runs an example on 2 workers: expected.txt on stdout, nothing on stderr, exit 0', async () => {
    const r = await weft(['run', 'examples/fan-out-fan-in/graph.fbp', '--workers', '2']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readText('examples/fan-out-fan-in/expected.txt'));
    expect(r.code).toBe(0);
  });

  it('runs pinned boxes and fixture components on 2 workers (fan-in across workers)', async () => {
    const graph = pinnedGraph('out.txt');
    const [a, b] = await Promise.all([
      weft(['run', graph, '--workers', '2', '--capacity', '1']),
      weft(['run', at('stress.fbp'), '--workers', '2', '--components', 'test/fixtures/components']),
    ]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(numbers(200));
    expect(readFileSync(at('out.txt'), 'utf8')).toBe(numbers(200));

    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const lines = b.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { s: number; q: number; p: string });
    for (const p of ['0', '1']) expect(lines.filter((v) => v.p === p).map((v) => v.q)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(lines.length).toBe(600);
  });

  it('deadlock example on 2 workers: exit 3, the report on stderr', async () => {
    const r = await weft(['run', 'examples/deadlock/graph.fbp', '--workers', '2']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(readText('examples/deadlock/expected.txt'));
    expect(r.stderr).toMatch(/^weft: deadlock: no box can progress \(3 blocked\)$/m);
    expect(r.stderr).toMatch(/^ {2}Split \(core\/Split\): sending to out\[1\] on Split\.out\[1\] -> Concat\.in\[1\] \(2\/2 IPs, full\)$/m);
    expect(r.stderr).toMatch(/^cycle: (Split -> Concat -> Split|Concat -> Split -> Concat)$/m);
  });

  it('--explain prints the placement (workers, nodes with reasons, cross edges, summary) and runs nothing', async () => {
    const graph = pinnedGraph('explained.txt');
    const r = await weft(['run', graph, '--workers', '2', '--explain']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.trimEnd().split('\n');
    // One header per worker, then its nodes with a reason each.
    expect(lines.filter((l) => /^worker \d+: load [\d.]+, (\d+ nodes?|no nodes)$/.test(l)).map((l) => l.split(':')[0])).toEqual(['worker 0', 'worker 1']);
    expect(out).toMatch(/^ {2}Gen +pinned \(metadata worker=0\)$/m);
    expect(out).toMatch(/^ {2}B +pinned \(metadata worker=1\)$/m);
    for (const node of ['A', 'Print', 'Write']) expect(out).toMatch(new RegExp(`^ {2}${node} +\\S`, 'm'));
    // Gen is listed under worker 0 and B under worker 1.
    const w1 = lines.findIndex((l) => l.startsWith('worker 1:'));
    expect(lines.findIndex((l) => /^ {2}Gen /.test(l))).toBeLessThan(w1);
    expect(lines.findIndex((l) => /^ {2}B /.test(l))).toBeGreaterThan(w1);
    // Cross edges: the count, then each edge with its workers.
    const cross = /^cross-worker edges: (\d+|none)$/m.exec(out);
    expect(cross).not.toBeNull();
    const n = cross![1] === 'none' ? 0 : Number(cross![1]);
    expect(n).toBeGreaterThanOrEqual(1);
    const edgeLines = lines.filter((l) => /^ {2}\S+ -> \S+ {2}\(worker \d -> \d\)$/.test(l));
    expect(edgeLines.length).toBe(n);
    expect(out).toMatch(new RegExp(`^summary: 2 workers, 5 nodes, ${n} cross edges? of 4, max/min load [\\d.]+/[\\d.]+ = [\\d.]+$`, 'm'));
    // Nothing ran: no numbers printed, no file written.
    expect(out).not.toMatch(/^1$/m);
    expect(existsSync(at('explained.txt'))).toBe(false);
  });

  it('--workers 0 and --workers abc are usage errors (exit 2)', async () => {
    const [zero, abc] = await Promise.all([
      weft(['run', 'examples/fan-out-fan-in/graph.fbp', '--workers', '0']),
      weft(['run', 'examples/fan-out-fan-in/graph.fbp', '--workers', 'abc']),
    ]);
    for (const [r, v] of [[zero, '0'], [abc, 'abc']] as const) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--workers/);
      expect(r.stderr).toContain(`'${v}'`);
    }
  });

  it('a pin out of range is a usage error (exit 2) with file:line:col', async () => {
    const r = await weft(['run', at('bad-pin.fbp'), '--workers', '2']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${at('bad-pin.fbp')}:2:15: node A is pinned to worker 5`);
    expect(r.stderr).toMatch(/2 workers \(workers 0\.\.1\)/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
