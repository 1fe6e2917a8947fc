/**
 * bench/startup.ts — How long does the `weft` command take from start to exit on a small graph,
 * from its bundles (the default) against the same command running its TypeScript sources
 * through tsx (WEFT_BUNDLE=0), in the same run? And what does bare node take?
 *
 * Rows (each a fresh `node bin/weft.mjs ...` process, wall time from spawn to exit):
 *   node             `node -e 0`: the floor of any command (THE BASELINE).
 *   check            `weft check examples/wordcount/graph.fbp`
 *   run.w1           `weft run examples/wordcount/graph.fbp --workers 1`
 *   run.w2           the same on 2 workers
 *   custom.w2        `weft run examples/custom-component/graph.fbp --components ...` on 2
 *                    workers: a TypeScript component loads through tsx on the main thread and
 *                    on its worker
 *   each with `.tsx` appended: the same with WEFT_BUNDLE=0.
 * The rows are interleaved (one run of each per round) so that a busy moment costs every row
 * alike; one warm-up round first, which also builds the bundles if a source changed. Medians
 * of BENCH_RUNS rounds (default 5). Every run must exit 0 with the expected output.
 * Run: node --import tsx bench/startup.ts [--json]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtRatio, log, machine, machineLine, now, output, RUNS, stats, table, type Stats } from './_util.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BIN = path.join(root, 'bin/weft.mjs');
const WC = 'examples/wordcount/graph.fbp';
const CUSTOM = ['examples/custom-component/graph.fbp', '--components', 'examples/custom-component/components'];

interface Row {
  id: string;
  what: string;
  args: string[];
  env: Record<string, string>;
  expect: (stdout: string) => boolean;
}
const wordcount = (out: string) => out.startsWith('{"value":"that","count":13}\n') && out.split('\n').length === 11;
const squares = (out: string) => out === '1\n4\n9\n16\n25\n36\n49\n64\n81\n100\n';
const base: Row[] = [
  { id: 'check', what: `weft check ${WC}`, args: [BIN, 'check', WC], env: {}, expect: (o) => o === '' },
  { id: 'run.w1', what: `weft run ${WC} --workers 1`, args: [BIN, 'run', WC, '--workers', '1'], env: {}, expect: wordcount },
  { id: 'run.w2', what: `weft run ${WC} --workers 2`, args: [BIN, 'run', WC, '--workers', '2'], env: {}, expect: wordcount },
  { id: 'custom.w2', what: 'weft run examples/custom-component/graph.fbp --components … --workers 2', args: [BIN, 'run', ...CUSTOM, '--workers', '2'], env: {}, expect: squares },
];
const rows: Row[] = [
  { id: 'node', what: 'node -e 0 (BASELINE)', args: ['-e', '0'], env: {}, expect: (o) => o === '' },
  ...base,
  ...base.map((r) => ({ ...r, id: `${r.id}.tsx`, what: `${r.what}, WEFT_BUNDLE=0`, env: { WEFT_BUNDLE: '0' } })),
];

function once(r: Row): number {
  const t0 = now();
  const p = spawnSync(process.execPath, r.args, { cwd: root, env: { ...process.env, ...r.env }, encoding: 'utf8' });
  const ms = now() - t0;
  if (p.status !== 0 || !r.expect(p.stdout)) throw new Error(`${r.id}: exit ${p.status}, stdout ${JSON.stringify(p.stdout.slice(0, 200))}, stderr ${p.stderr.slice(0, 400)}`);
  return ms;
}

const m = machine();
console.error(machineLine(m));
for (const r of rows) once(r); // warm-up (and the bundles' build, if a source changed)
const times = new Map<string, number[]>(rows.map((r) => [r.id, []]));
for (let k = 0; k < RUNS; k++) {
  for (const r of rows) times.get(r.id)!.push(once(r));
  log(`round ${k + 1}`, rows.map((r) => `${r.id} ${times.get(r.id)![k].toFixed(0)}`).join(' '));
}
const result: (Row & Stats)[] = rows.map((r) => ({ ...r, ...stats(times.get(r.id)!) }));
const nodeMs = result[0].median;
const byId = (id: string) => result.find((r) => r.id === id)!;
output(
  { bench: 'startup', machine: m, params: { RUNS }, rows: result.map(({ id, what, median, min, max, runs }) => ({ id, what, median, min, max, runs })) },
  () =>
    [
      `# startup: the weft command, spawn to exit, ms (medians of ${RUNS} interleaved rounds)`,
      machineLine(m),
      '',
      table(
        ['row', '>median ms', '>min – max', '>minus node', '>× the tsx path', 'what'],
        result.map((r) => {
          const tsx = r.id.endsWith('.tsx') || r.id === 'node' ? undefined : byId(`${r.id}.tsx`);
          return [r.id, r.median.toFixed(0), `${r.min.toFixed(0)} – ${r.max.toFixed(0)}`, r.id === 'node' ? '' : (r.median - nodeMs).toFixed(0), tsx ? fmtRatio(r.median / tsx.median) : '', r.what];
        }),
      ),
    ].join('\n'),
);
