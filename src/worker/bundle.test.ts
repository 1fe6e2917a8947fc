/**
 * Tests for the worker bundle cache (bundle.ts): built once, reused while every input is
 * unchanged, rebuilt when one changes, and refused (null, so workers start through tsx) where
 * the directory is not private or cannot be written. The bundled worker itself runs in every
 * multi-worker test; the path without it in test/e2e/run.test.ts (WEFT_WORKER_BUNDLE=0).
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleIn, privateDir } from './bundle.ts';

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

describe('the worker bundle', () => {
  it('is built once, runs, and is reused while the sources are unchanged', async () => {
    const entry = sources(41);
    const dir = privateDir(path.join(root, 'cache'))!;
    const first = bundleIn(dir, entry)!;
    expect(first).not.toBeNull();
    expect(first.tsx.esm).toMatch(/^file:.*tsx/);
    expect(((await import(first.file.href)) as { value: number }).value).toBe(42);
    const built = statSync(first.file).mtimeMs;
    const again = bundleIn(dir, entry)!;
    expect(again.file.href).toBe(first.file.href);
    expect(statSync(again.file).mtimeMs).toBe(built);
    expect(readdirSync(dir).filter((f) => f.endsWith('.mjs'))).toHaveLength(1);
  });

  it('is rebuilt under a new name when an input changes', async () => {
    const entry = sources(41);
    const dir = privateDir(path.join(root, 'cache'))!;
    const first = bundleIn(dir, entry)!;
    sources(99);
    const second = bundleIn(dir, entry)!;
    expect(second.file.href).not.toBe(first.file.href);
    expect(((await import(second.file.href)) as { value: number }).value).toBe(100);
    sources(41);
    expect(bundleIn(dir, entry)!.file.href).toBe(first.file.href);
  });

  it('is not made where it cannot be written or does not build', () => {
    const entry = sources(1);
    expect(bundleIn(path.join(root, 'missing', 'dir'), entry)).toBeNull();
    writeFileSync(entry, 'export const value = ;\n');
    expect(bundleIn(privateDir(path.join(root, 'cache')), entry)).toBeNull();
    expect(bundleIn(null, entry)).toBeNull();
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
