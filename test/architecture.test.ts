/**
 * The layering of docs/design.md, checked on every import: dependencies point down only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.ts$/.test(f) && !/\.test\.ts$|\.testutil\.ts$/.test(f)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) out.push(path.relative(ROOT, path.resolve(path.dirname(file), spec)));
  }
  return out;
}

/** Folder (relative to the repo) → folders it may import from (itself always allowed). */
const ALLOWED: Record<string, string[]> = {
  'src/graph': [],
  'src/bundle': [],
  'src/placement': ['src/graph', 'src/errors.ts'],
  'src/ip': ['src/errors.ts'],
  'src/shm': ['src/errors.ts'],
  'src/component': ['src/ip', 'src/shm', 'src/errors.ts'],
  'src/connection': ['src/ip', 'src/shm', 'src/errors.ts'],
  'src/scheduler': ['src/component', 'src/connection', 'src/ip', 'src/shm', 'src/errors.ts'],
  'src/network': ['src/scheduler', 'src/graph', 'src/component', 'src/connection', 'src/ip', 'src/shm', 'src/errors.ts'],
  // worker-main.ts is a thread's entry point: it loads the built-in components, as the CLI does.
  'src/worker': ['src/index.ts', 'src/bundle', 'src/network', 'src/placement', 'src/scheduler', 'src/graph', 'src/component', 'src/connection', 'src/shm', 'src/ip', 'src/errors.ts', 'components/index.ts'],
  'src/cli': ['src/index.ts'],
  components: ['src/component', 'src/ip', 'src/errors.ts', 'src/index.ts'],
};

describe('architecture', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder} imports only ${allowed.join(', ') || 'itself'}`, () => {
      const bad: string[] = [];
      for (const f of files(path.join(ROOT, folder))) {
        for (const target of imports(f)) {
          const ok = target.startsWith(folder + '/') || target === folder || allowed.some((a) => target === a || target.startsWith(a + '/'));
          if (!ok) bad.push(`${path.relative(ROOT, f)} -> ${target}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }

  it('keeps source files under 400 lines', () => {
    const long = [...files(path.join(ROOT, 'src')), ...files(path.join(ROOT, 'components'))]
      .map((f) => [path.relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
