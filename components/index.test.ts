import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtins } from './index.ts';
import { isComponent } from '../src/component/define.ts';

describe('builtins', () => {
  it('lists every component file under its collection/name, with a description', () => {
    const dir = import.meta.dirname;
    const files = ['core', 'text'].flatMap((c) =>
      readdirSync(join(dir, c))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => `${c}/${f.slice(0, -3)}`),
    );
    expect(Object.keys(builtins).sort()).toEqual(files.sort());
    for (const [name, c] of Object.entries(builtins)) {
      expect(isComponent(c), name).toBe(true);
      expect(c.description, name).toMatch(/\w/);
    }
  });

  it('uses the expected styles', () => {
    const style = Object.fromEntries(Object.entries(builtins).map(([n, c]) => [n, c.style]));
    expect(style).toEqual({
      'core/Output': 'looper',
      'core/Repeat': 'non-looper',
      'core/Drop': 'non-looper',
      'core/Generate': 'looper',
      'core/ReadLines': 'looper',
      'core/WriteLines': 'looper',
      'core/Split': 'looper',
      'core/Concat': 'looper',
      'core/LoadBalance': 'looper',
      'core/Take': 'looper',
      'core/Count': 'non-looper',
      'core/Sort': 'looper',
      'core/Tally': 'looper',
      'core/Batch': 'non-looper',
      'core/Unbracket': 'non-looper',
      'core/Delay': 'looper',
      'text/Words': 'looper',
      'text/Upper': 'non-looper',
    });
  });
});
