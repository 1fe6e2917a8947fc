/**
 * Tests for the bundle cache (cache.mjs): built once, reused while every input is unchanged,
 * rebuilt when one changes, module locations kept, and refused (null, so callers load the
 * sources through tsx) where the directory is not private or cannot be written. The bundles
 * themselves run in every e2e and multi-worker test; the path without them in
 * test/e2e/run.test.ts (WEFT_BUNDLE=0).
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundled, privateDir } from './cache.mjs';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'weft-bundle-test-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function sources(x: number): string {
  const src = path.join(root, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, 'entry.ts'), "import { x } from './dep.ts';\nexport const value: number = x + 1;\n");
  writeFileSync(path.join(src, 'dep.ts'), `export const x: number = ${x};\n`);
  return path.join(src, 'entry.ts');
}

describe('a bundle', () => {
  it('is built once, runs, and is reused while the sources are unchanged', async () => {
    const entry = sources(41);
    const dir = privateDir(path.join(root, 'cache'))!;
    const first = (await bundled(entry, dir))!;
    expect(first).not.toBeNull();
    expect(((await import(first.file.href)) as { value: number }).value).toBe(42);
    const built = statSync(first.file).mtimeMs;
    const again = (await bundled(entry, dir))!;
    expect(again.file.href).toBe(first.file.href);
    expect(statSync(again.file).mtimeMs).toBe(built);
    expect(readdirSync(dir).filter((f) => f.endsWith('.mjs'))).toHaveLength(1);
  });

  it('is rebuilt under a new name when an input changes', async () => {
    const entry = sources(41);
    const dir = privateDir(path.join(root, 'cache'))!;
    const first = (await bundled(entry, dir))!;
    sources(99);
    const second = (await bundled(entry, dir))!;
    expect(second.file.href).not.toBe(first.file.href);
    expect(((await import(second.file.href)) as { value: number }).value).toBe(100);
    sources(41);
    expect((await bundled(entry, dir))!.file.href).toBe(first.file.href);
  });

  it("keeps weft's modules where they are: import.meta.url and import.meta.resolve", async () => {
    const entry = fileURLToPath(new URL('./locations.testutil.ts', import.meta.url));
    const b = (await bundled(entry, privateDir(path.join(root, 'cache'))))!;
    const m = (await import(b.file.href)) as { here: string; beside: string; tsx: string };
    expect(m.here).toBe(pathToFileURL(entry).href);
    expect(m.beside).toBe(new URL('./cache.mjs', import.meta.url).href);
    expect(m.tsx).toMatch(/\/node_modules\/tsx\/.*\.mjs$/);
  });

  it('is not made where it cannot be written or does not build', async () => {
    const entry = sources(1);
    expect(await bundled(entry, path.join(root, 'missing', 'dir'))).toBeNull();
    writeFileSync(entry, 'export const value = ;\n');
    expect(await bundled(entry, privateDir(path.join(root, 'cache')))).toBeNull();
    expect(await bundled(entry, null)).toBeNull();
  });
});

describe('privateDir', () => {
  it('makes a directory only this user can write', () => {
    const dir = privateDir(path.join(root, 'a'))!;
    expect(dir).toBe(path.join(root, 'a'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses one others can write, a link, or a file', () => {
    const open = path.join(root, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(privateDir(open)).toBeNull();
    symlinkSync(privateDir(path.join(root, 'real'))!, path.join(root, 'link'));
    expect(privateDir(path.join(root, 'link'))).toBeNull();
    writeFileSync(path.join(root, 'file'), '');
    expect(privateDir(path.join(root, 'file'))).toBeNull();
  });
});
