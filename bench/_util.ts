/**
 * Shared helpers for the benchmarks in bench/: timing, statistics, the machine line, a plain
 * text table printer and `--json` output.
 *
 * Conventions (after /work/shared/peers-bench/_util.mjs):
 * - a rate is "higher is better" and is the median of RUNS timed runs after a discarded
 *   warm-up; min and max are shown so the spread is visible (the machine is noisy);
 * - progress goes to stderr, results to stdout: a table, or one JSON document with `--json`;
 * - every script prints the machine, the Node version and its parameters with its results.
 *
 * Environment: BENCH_RUNS (default 5) timed runs per figure.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

export const now = (): number => performance.now();

export function envInt(name: string, def: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return def;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${v}`);
  return n;
}

/** Timed runs per figure (BENCH_RUNS, default 5). */
export const RUNS = envInt('BENCH_RUNS', 5);

/** `--json`: print one JSON document on stdout instead of the tables. */
export const JSON_OUT = process.argv.includes('--json');

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Stats {
  runs: number[];
  median: number;
  min: number;
  max: number;
}

export function stats(runs: readonly number[]): Stats {
  return { runs: [...runs], median: median(runs), min: Math.min(...runs), max: Math.max(...runs) };
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  v8: string;
  platform: string;
  date: string;
  /** The weft revision measured: `git rev-parse --short HEAD`, `+dirty` if src/ has changes. */
  revision: string;
  /** 1-minute load average at the start: other work on the machine skews the figures. */
  load1: number;
}

function revision(): string {
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8', timeout: 5000 });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--', 'src').stdout.trim() !== '';
  return head.stdout.trim() + (dirty ? '+dirty' : '');
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
    revision: revision(),
    load1: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

export function machineLine(m: Machine = machine()): string {
  return `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; node ${m.node} (V8 ${m.v8}), ${m.platform}; weft ${m.revision}; load ${m.load1}; ${m.date}`;
}

/** Progress and diagnostics: stderr, so stdout stays the results. */
export function log(...parts: unknown[]): void {
  console.error('  ', ...parts);
}

/** 1234567 → "1,234,567"; large rates keep 3–4 significant digits. */
export function fmtNum(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1e4) x = Number(x.toPrecision(4));
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A ratio: "2.31×" at or above 1, "0.437× (1/2.29)" below. */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r) || r <= 0) return '—';
  if (r >= 100) return `${Math.round(r).toLocaleString('en-US')}×`;
  if (r >= 1) return `${r.toFixed(2)}×`;
  return `${r.toPrecision(3)}× (1/${(1 / r).toPrecision(3)})`;
}

/** A plain text table; columns whose header starts with '>' are right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const right = headers.map((h) => h.startsWith('>'));
  const hs = headers.map((h) => (h.startsWith('>') ? h.slice(1) : h));
  const cells = rows.map((r) => r.map(String));
  const width = hs.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (right[i] ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  return [line(hs), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Print the results: a JSON document with --json, else the text the caller formats. */
export function output(doc: object, text: () => string): void {
  if (JSON_OUT) console.log(JSON.stringify(doc, null, 2));
  else console.log(text());
}
