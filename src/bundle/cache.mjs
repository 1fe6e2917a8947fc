/**
 * Bundles of the runtime, built with esbuild on first use and kept in a cache directory, so
 * that the `weft` command and its workers start without compiling TypeScript through tsx.
 * Plain JavaScript: bin/weft.mjs calls it before anything can compile TypeScript.
 *
 * Why: tsx registers a loader (on Node 20 a thread of its own, per worker too) and compiles
 * each of about a hundred modules as it is imported; a worker took ~180 ms to get its runtime
 * loaded that way and `weft check` ~250 ms in all. From a bundle: ~20 ms and ~80 ms
 * (docs/performance.md, docs/design.md "Start-up").
 *
 * Contract:
 *   - bundled(entry, dir) returns the bundle of `entry` or null when there is none to be had
 *     (esbuild missing, the directory unusable, a build error): callers then load the sources
 *     through tsx, as without a bundle. WEFT_BUNDLE=0 makes callers skip it (bundleOff()).
 *   - A bundle is used only if it was built from exactly the sources on disk now: its name
 *     is a hash of the content of every input esbuild read (esbuild's metafile), esbuild's
 *     version and BUNDLE_FORMAT. A manifest per entry (named by a hash of the entry's path)
 *     lists those inputs, so checking costs one read of each (a few ms).
 *   - Every module keeps its own location: `import.meta.url` in weft's sources becomes that
 *     source file's URL, and import.meta.resolve of a string literal the URL esbuild resolves it
 *     to, so paths next to a module (package.json, boot files, tsx) stay right in a bundle.
 *   - Components from files are not bundled: they load through tsx, which the bundled code
 *     registers before the first one (network/registry.ts beforeUserImport), together with a
 *     hook that gives a component importing weft's index the running bundle (redirect.mjs;
 *     each bundle exports the public API). One that reaches other weft modules by path gets
 *     tsx's copy of those beside the bundle's; nothing in weft depends on the two being one
 *     (components are recognised by shape, WeftErrors by a registered symbol).
 *   - Directory: $TMPDIR/weft-<uid>, made 0700; one that is not a directory owned by this
 *     user with no group or other write access is not used. Files are written under a temp
 *     name and renamed, so concurrent builders never see half a file. Bundles older than a
 *     day, other than the one just written, are removed when one is written.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bump when the way a bundle is made changes without any input changing. */
const BUNDLE_FORMAT = 2;
const DAY_MS = 24 * 3600 * 1000;
/** weft's own sources (src/, components/): where import.meta is rewritten. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** WEFT_BUNDLE=0: load the sources through tsx, no bundle. */
export function bundleOff() {
  return process.env.WEFT_BUNDLE === '0';
}

/**
 * Before a component from a file is imported: register tsx's two hooks (their module URLs;
 * both, because a component file outside an ES-module package is loaded as CommonJS), then,
 * when weft runs from `bundle` (a bundle that exports weft's public API), the hook that hands
 * the component this bundle for weft's index (redirect.mjs).
 * @param {{ esm: string, cjs: string }} tsx
 * @param {string | null} bundle
 */
export async function registerForComponents(tsx, bundle) {
  (await import(tsx.esm)).register();
  (await import(tsx.cjs)).register();
  if (bundle !== null) register(new URL('./redirect.mjs', import.meta.url), { data: { from: new URL('../index.ts', import.meta.url).href, to: bundle } });
}

/** $TMPDIR/weft-<uid>, or null when it cannot be made private to this user. */
export function cacheDir() {
  return privateDir(path.join(tmpdir(), `weft-${process.getuid?.() ?? 'user'}`));
}

/**
 * The bundle of `entry` (a path) in `dir`, built if need be; null when that cannot be done.
 * @param {string} entry
 * @param {string | null} dir
 * @returns {Promise<{ file: URL } | null>}
 */
export async function bundled(entry, dir) {
  if (dir === null) return null;
  try {
    const require = createRequire(import.meta.url);
    // Its version from package.json: loading esbuild itself costs ~6 ms, needed only to build.
    const version = require('esbuild/package.json').version;
    const manifestFile = path.join(dir, `manifest-${hash([entry])}.json`);
    const known = readManifest(manifestFile);
    if (known !== null) {
      const file = path.join(dir, `bundle-${known.key}.mjs`);
      if (keyOf(version, known.inputs) === known.key && isFile(file)) return { file: pathToFileURL(file) };
    }
    return { file: pathToFileURL(await build(require('esbuild'), dir, entry, manifestFile)) };
  } catch {
    return null;
  }
}

/** What is rewritten, spelt in two pieces: this file is itself rewritten when it is bundled. */
const META_URL = 'import.meta' + '.url';

/** Rewrites import.meta in weft's own sources (see the header). */
const keepLocations = {
  name: 'weft-keep-locations',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mts|mjs)$/ }, async (args) => {
      // weft's own files only (weft itself may live in a node_modules folder).
      const rel = path.relative(ROOT, args.path);
      if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep)[0] === 'node_modules') return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      let out = text.replaceAll(META_URL, JSON.stringify(pathToFileURL(args.path).href));
      for (const m of [...out.matchAll(/import\.meta\.resolve\((['"])([^'"]+)\1\)/g)]) {
        const r = await b.resolve(m[2], { kind: 'import-statement', resolveDir: path.dirname(args.path) });
        if (r.errors.length > 0) throw new Error(`cannot resolve ${m[2]} from ${args.path}`);
        out = out.replace(m[0], JSON.stringify(pathToFileURL(r.path).href));
      }
      return { contents: out, loader: args.path.endsWith('.mjs') ? 'js' : 'ts' };
    });
  },
};

async function build(esbuild, dir, entry, manifestFile) {
  const root = path.dirname(entry);
  const out = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // esbuild stays outside: it finds its binary from its own location.
    external: ['esbuild'],
    // A CommonJS dependency bundled into an ES module still calls require().
    banner: { js: `import { createRequire as __weftRequire } from 'node:module'; const require = __weftRequire(${META_URL});` },
    // Stack traces name the sources (the loaders turn source maps on).
    sourcemap: 'inline',
    sourcesContent: false,
    outfile: path.join(dir, 'bundle.mjs'),
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [keepLocations],
  });
  const inputs = Object.keys(out.metafile.inputs).map((p) => path.resolve(root, p)).sort();
  const key = keyOf(esbuild.version, inputs);
  const file = path.join(dir, `bundle-${key}.mjs`);
  writeAtomic(file, out.outputFiles[0].contents);
  writeAtomic(manifestFile, JSON.stringify({ key, inputs }));
  removeStale(dir, file);
  return file;
}

function keyOf(esbuildVersion, inputs) {
  const h = createHash('sha256').update(`weft-bundle ${BUNDLE_FORMAT} esbuild ${esbuildVersion}\n`);
  for (const f of inputs) h.update(f).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 24);
}

function hash(parts) {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

function readManifest(file) {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    return typeof m.key === 'string' && Array.isArray(m.inputs) ? m : null;
  } catch {
    return null;
  }
}

function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
}

function removeStale(dir, keep) {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const f = path.join(dir, name);
    if (f === keep || !/^bundle-[0-9a-f]+\.mjs$|\.tmp$/.test(name)) continue;
    try {
      if (now - statSync(f).mtimeMs > DAY_MS) rmSync(f, { force: true });
    } catch {
      // gone already, or not ours to remove
    }
  }
}

/**
 * `dir`, made if need be, when it is a directory private to this user; else null.
 * @param {string} dir
 * @returns {string | null}
 */
export function privateDir(dir) {
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
