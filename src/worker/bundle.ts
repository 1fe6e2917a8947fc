/**
 * The worker's code as one plain JavaScript file, built with esbuild on first use and kept in
 * a cache directory, so that a worker starts without compiling TypeScript.
 *
 * Why: a worker started through boot.mjs registers tsx (which, on Node 20, starts a loader
 * thread of its own) and then has tsx compile about a hundred runtime modules. On the 2-core VM
 * two workers took 368 ms to get that far; from the bundle, 38 ms (docs/performance.md). Most
 * of a small network's wall time was that.
 *
 * Contract:
 *   - bundleIn() returns the bundle and the URLs of tsx's two register modules, or null when
 *     there is no usable bundle (esbuild missing, the directory unusable, a build error);
 *     workerStart() then starts workers through boot.mjs, as without a bundle, and so it does
 *     with WEFT_WORKER_BUNDLE=0.
 *   - A bundle is used only if it was built from exactly the sources on disk now: its name
 *     is a hash of the content of every input esbuild read (esbuild's metafile), esbuild's
 *     version and BUNDLE_FORMAT. A manifest per checkout (named by a hash of the entry's path)
 *     lists those inputs, so checking costs one read of each (a few ms), once per process.
 *   - In a bundled worker, user components (files from --components) still need tsx: the
 *     worker registers it before it imports the first one (registry.ts beforeUserImport).
 *     Such a component that imports weft itself gets tsx's copy of those modules beside the
 *     bundle's; nothing in weft depends on the two being one (isComponent and isWeftError
 *     test shapes and brands, not classes).
 *   - Directory: $TMPDIR/weft-<uid>, made 0700; one that is not a directory owned by this
 *     user with no group or other write access is not used. Files are written under a temp
 *     name and renamed, so concurrent builders never see half a file. Bundles older than a
 *     day, other than the one in use, are removed when a new one is written.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bump when the way the bundle is made changes without any input changing. */
const BUNDLE_FORMAT = 1;
const DAY_MS = 24 * 3600 * 1000;

export interface WorkerBoot {
  /** The bundled worker (worker-main.ts and everything it imports). */
  file: URL;
  /** tsx's ESM and CommonJS register modules, for user components. */
  tsx: { esm: string; cjs: string };
}

interface Manifest {
  key: string;
  inputs: string[];
}

const MAIN = new URL('./worker-main.ts', import.meta.url);
const ENTRY = fileURLToPath(MAIN);
let memo: { file: URL; data: Record<string, unknown> } | undefined;

/**
 * How this process starts a worker (decided once per process): the file and the workerData
 * to add to its `init`. From the bundle through boot-bundle.mjs when there is one, else
 * worker-main.ts through boot.mjs (tsx).
 */
export function workerStart(): { file: URL; data: Record<string, unknown> } {
  if (memo === undefined) {
    const boot = process.env.WEFT_WORKER_BUNDLE === '0' ? null : bundleIn(privateDir(path.join(tmpdir(), `weft-${process.getuid?.() ?? 'user'}`)));
    memo = boot
      ? { file: new URL('./boot-bundle.mjs', import.meta.url), data: { bundle: boot.file.href, tsx: boot.tsx } }
      : { file: new URL('./boot.mjs', import.meta.url), data: { entry: MAIN.href } };
  }
  return memo;
}

/** Find or build the bundle of `entry` in `dir`; null when that cannot be done. */
export function bundleIn(dir: string | null, entry = ENTRY): WorkerBoot | null {
  if (dir === null) return null;
  try {
    // As an ES module imports them (import.meta.resolve): tsx's CommonJS build of its ESM
    // API cannot be imported.
    const tsx = { esm: import.meta.resolve('tsx/esm/api'), cjs: import.meta.resolve('tsx/cjs/api') };
    const require = createRequire(import.meta.url);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const manifestFile = path.join(dir, `manifest-${hash([entry])}.json`);
    const known = readManifest(manifestFile);
    if (known !== null) {
      const file = path.join(dir, `worker-${known.key}.mjs`);
      if (keyOf(esbuild.version, known.inputs) === known.key && exists(file)) return { file: pathToFileURL(file), tsx };
    }
    return { file: pathToFileURL(build(esbuild, dir, entry, manifestFile)), tsx };
  } catch {
    return null;
  }
}

function build(esbuild: typeof import('esbuild'), dir: string, entry: string, manifestFile: string): string {
  const root = path.dirname(entry);
  const out = esbuild.buildSync({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // A CommonJS dependency bundled into an ES module still calls require().
    banner: { js: "import { createRequire as __weftRequire } from 'node:module'; const require = __weftRequire(import.meta.url);" },
    // Stack traces name the sources (the worker turns source maps on).
    sourcemap: 'inline',
    sourcesContent: false,
    outfile: path.join(dir, 'worker.mjs'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(out.metafile.inputs).map((p) => path.resolve(root, p)).sort();
  const key = keyOf(esbuild.version, inputs);
  const file = path.join(dir, `worker-${key}.mjs`);
  writeAtomic(file, out.outputFiles[0].contents);
  writeAtomic(manifestFile, JSON.stringify({ key, inputs } satisfies Manifest));
  removeStale(dir, file);
  return file;
}

function keyOf(esbuildVersion: string, inputs: string[]): string {
  const h = createHash('sha256').update(`weft-worker-bundle ${BUNDLE_FORMAT} esbuild ${esbuildVersion}\n`);
  for (const f of inputs) h.update(f).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 24);
}

function hash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

function readManifest(file: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return typeof m.key === 'string' && Array.isArray(m.inputs) ? m : null;
  } catch {
    return null;
  }
}

function exists(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
}

function removeStale(dir: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const f = path.join(dir, name);
    if (f === keep || !/^worker-[0-9a-f]+\.mjs$|\.tmp$/.test(name)) continue;
    try {
      if (now - statSync(f).mtimeMs > DAY_MS) rmSync(f, { force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

/** `dir`, made if need be, when it is a directory private to this user; else null. */
export function privateDir(dir: string): string | null {
  const uid = process.getuid?.();
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return null;
    return dir;
  } catch {
    return null;
  }
}
