/**
 * How a worker starts: from the bundle of entry.ts (worker-main.ts and the public API;
 * bundle/cache.mjs) through boot-bundle.mjs when there is one, else from worker-main.ts
 * through boot.mjs (tsx).
 *
 * From the bundle, two workers get their runtime loaded in about 40 ms instead of 370 ms on
 * the 2-core VM (docs/performance.md). User components still load through tsx, which the
 * bundled worker registers before it imports the first one (worker-main.ts), given the URLs of
 * tsx's two register modules here. Decided once per process; a bundle file that has gone
 * since (another process cleans up bundles older than a day) is found or built again.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundled, bundleOff, cacheDir } from '../bundle/cache.mjs';

type Start = { file: URL; data: Record<string, unknown> };
const MAIN = new URL('./worker-main.ts', import.meta.url);
/** The bundle's entry: worker-main.ts and weft's public API, for the components (entry.ts). */
const ENTRY = new URL('./entry.ts', import.meta.url);
let memo: Promise<Start> | undefined;

/** The file a worker starts from and what to add to its workerData. */
export async function workerStart(): Promise<Start> {
  const start = await (memo ??= decide());
  if (typeof start.data.bundle === 'string' && !existsSync(new URL(start.data.bundle))) {
    memo = decide();
    return memo;
  }
  return start;
}

async function decide(): Promise<Start> {
  const boot = bundleOff() ? null : await bundled(fileURLToPath(ENTRY), cacheDir());
  if (boot === null) return { file: new URL('./boot.mjs', import.meta.url), data: { entry: MAIN.href } };
  // As an ES module imports them: tsx's CommonJS build of its ESM API cannot be imported.
  const tsx = { esm: import.meta.resolve('tsx/esm/api'), cjs: import.meta.resolve('tsx/cjs/api') };
  return { file: new URL('./boot-bundle.mjs', import.meta.url), data: { bundle: boot.file.href, tsx } };
}
