/**
 * bench/run-all.ts — run every benchmark, each in a fresh Node process (so that no JIT state,
 * heap growth or leftover network of one affects the next), and print everything.
 *
 * Order: chain.ts, idle-memory.ts (with --expose-gc), cross-worker.ts, chain-workers.ts,
 * arena.ts, scaling.ts, idle-workers.ts (with --expose-gc), startup.ts. Progress of each goes to stderr,
 * results to stdout. With --json, stdout is one JSON array of the scripts' documents.
 * Environment variables (BENCH_RUNS, CHAIN_N, NOFLO_N, IDLE_BOXES, XW_*, CHAINW_N, ARENA_*, IDLE_W_*, ...)
 * pass through. BENCH_ONLY=chain.ts,cross-worker.ts (file names) runs a subset.
 * Exit status: non-zero if any script failed.
 * Run: node --import tsx bench/run-all.ts [--json]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_OUT, machineLine, now } from './_util.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);

const scripts: { file: string; node: string[] }[] = [
  { file: 'chain.ts', node: [] },
  { file: 'idle-memory.ts', node: ['--expose-gc'] },
  { file: 'cross-worker.ts', node: [] },
  { file: 'chain-workers.ts', node: [] },
  { file: 'arena.ts', node: [] },
  { file: 'scaling.ts', node: [] },
  { file: 'idle-workers.ts', node: ['--expose-gc'] },
  { file: 'startup.ts', node: [] },
].filter((s) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(s.file));

if (!JSON_OUT) console.log(`# weft benchmarks (each script in a fresh process)\n${machineLine()}\n`);
const docs: unknown[] = [];
let failed = 0;
const t0 = now();
for (const s of scripts) {
  const args = [...s.node, '--import', 'tsx', path.join(here, s.file), ...(JSON_OUT ? ['--json'] : [])];
  console.error(`== ${s.file}: node ${args.map((a) => path.relative(root, a) || a).join(' ')}`);
  const t = now();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    env: process.env,
    stdio: ['ignore', JSON_OUT ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const secs = ((now() - t) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed++;
    console.error(`== ${s.file} FAILED (status ${r.status}, signal ${r.signal ?? 'none'}) after ${secs} s`);
    continue;
  }
  console.error(`== ${s.file} done in ${secs} s`);
  if (JSON_OUT) docs.push(JSON.parse(r.stdout));
  else console.log('');
}
if (JSON_OUT) console.log(JSON.stringify(docs, null, 2));
console.error(`== all done in ${((now() - t0) / 1000).toFixed(1)} s${failed ? `, ${failed} FAILED` : ''}`);
process.exitCode = failed ? 1 : 0;
