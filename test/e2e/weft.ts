/**
 * Helpers for the end-to-end tests: run the real `weft` command (`node bin/weft.mjs`, from
 * the repository root, as a user would) and capture its stdout, stderr and exit code; make
 * temporary components directories.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin/weft.mjs');
/** What a component outside the repository imports the runtime from. */
export const WEFT_SRC = pathToFileURL(join(ROOT, 'src/index.ts')).href;

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

export interface Spawned {
  child: ChildProcess;
  /** Settles when the process has exited and its pipes are drained. */
  done: Promise<Result>;
  /** stdout and stderr so far. */
  readonly stdout: string;
  readonly stderr: string;
}

export interface StartOptions {
  timeoutMs?: number;
  cwd?: string;
  /** Options for node itself, before the script (`--require probe.cjs`). */
  nodeArgs?: string[];
  /** More environment variables. */
  env?: Record<string, string>;
}

/**
 * Start `weft ARGS` in the repository root. The process is killed (SIGKILL) after
 * `timeoutMs`, and the result then says so (signal SIGKILL), so a hang fails a test instead
 * of stalling the suite.
 */
export function start(args: string[], opts: StartOptions = {}): Spawned {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Non-TTY stderr (no status line); no colours from anything.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // A test may destroy stdout on purpose (EPIPE test); never let that throw here.
  child.stdout!.on('error', () => undefined);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
  const done = new Promise<Result>((res, rej) => {
    child.on('error', rej);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
  return {
    child,
    done,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** Run `weft ARGS` to the end. */
export function weft(args: string[], opts: StartOptions = {}): Promise<Result> {
  return start(args, opts).done;
}

export function readText(relative: string): string {
  return readFileSync(join(ROOT, relative), 'utf8');
}

/**
 * A temporary directory holding `files` (relative path → content). It gets a package.json
 * with "type": "module" unless `packageJson` is false (see the tests about
 * components outside an ES module package). `cleanup()` removes it.
 */
export function tempDir(files: Record<string, string>, packageJson = true): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'weft-e2e-'));
  if (packageJson) writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [rel, text] of Object.entries(files)) {
    const f = join(dir, rel);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves once `test()` is true (polled), or rejects after `timeoutMs`. */
export async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
