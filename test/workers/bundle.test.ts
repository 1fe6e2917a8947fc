/**
 * Workers start from the bundle of their runtime (src/worker/bundle.ts, src/bundle/cache.mjs):
 * a network on two workers runs from it, and runs again after that bundle file was removed
 * (another process cleans up bundles older than a day). Its own cache directory, so that
 * removing a bundle touches no other test.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerStart } from '../../src/worker/bundle.ts';
import { G, runCaptured } from './helpers.ts';

let dir: string;
const saved = process.env.TMPDIR;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'weft-bundle-workers-'));
  process.env.TMPDIR = dir;
});
afterAll(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
  rmSync(dir, { recursive: true, force: true });
});

const graph = () =>
  new G()
    .node('g', 'core/Generate', { worker: 0 })
    .node('r', 'core/Repeat', { worker: 1 })
    .node('p', 'core/Output', { worker: 0 })
    .edge('g.out', 'r.in')
    .edge('r.out', 'p.in')
    .iip('g.count', 3).graph;

describe.skipIf(process.env.WEFT_BUNDLE === '0')('workers from a bundle', () => {
  it('run a network, and run again once the bundle file is gone', async () => {
    const first = await workerStart();
    const bundle = first.data.bundle as string;
    expect(bundle.startsWith(new URL(`file://${dir}/`).href)).toBe(true);
    expect((await runCaptured(graph(), { workers: 2 })).text).toBe('1\n2\n3\n');
    rmSync(new URL(bundle));
    const again = await workerStart();
    expect(existsSync(new URL(again.data.bundle as string))).toBe(true);
    const r = await runCaptured(graph(), { workers: 2 });
    expect(r.result.status).toBe('finished');
    expect(r.text).toBe('1\n2\n3\n');
  });
});
