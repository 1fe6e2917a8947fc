import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import WriteLines from './WriteLines.ts';
import Generate from './Generate.ts';
import { makeNetwork } from '../../test/helpers/net.ts';
import { MODES, close, feed, open, runCollect, tempDir } from '../../test/helpers/components.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.each(MODES)('core/WriteLines ($name)', ({ name, opts }) => {
  it('writes one line per data IP, strings as-is, others as JSON, brackets ignored', async () => {
    const f = tmp.file(`out-${name}.txt`);
    const items = [open(), 'hello', 1.5, { a: [1] }, null, close(), '', 'é\r'];
    const { result } = await runCollect({ nodes: { src: feed(items), w: WriteLines }, edges: ['src.out -> w.in'], iips: [[f, 'w.dest']] }, opts);
    expect(result.status).toBe('finished');
    // The file is complete when the network has finished.
    expect(readFileSync(f, 'utf8')).toBe('hello\n1.5\n{"a":[1]}\nnull\n\né\r\n');
  });

  it('an empty stream makes an empty file', async () => {
    const f = tmp.file(`empty-${name}.txt`);
    const { result } = await runCollect({ nodes: { src: feed([]), w: WriteLines }, edges: ['src.out -> w.in'], iips: [[f, 'w.dest']] }, opts);
    expect(result.status).toBe('finished');
    expect(readFileSync(f, 'utf8')).toBe('');
  });

  it('writes a large stream (the write stream pushes back)', async () => {
    const f = tmp.file(`big-${name}.txt`);
    const n = 200000;
    const { result } = await runCollect({ nodes: { g: Generate, w: WriteLines }, edges: ['g.out -> w.in'], iips: [[n, 'g.count'], [f, 'w.dest']] }, opts);
    expect(result.status).toBe('finished');
    const text = readFileSync(f, 'utf8');
    expect(text.length).toBe(Array.from({ length: n }, (_, i) => String(i + 1).length + 1).reduce((a, b) => a + b, 0));
    expect(text.endsWith('\n199999\n200000\n')).toBe(true);
  });
});

describe('core/WriteLines', () => {
  it('a file that cannot be opened fails the box with a message naming the path', async () => {
    const f = tmp.file('no-such-dir/out.txt');
    const { result } = await runCollect({ nodes: { src: feed(['a', 'b']), w: WriteLines }, edges: ['src.out -> w.in'], iips: [[f, 'w.dest']] });
    expect(result.status).toBe('failed');
    expect(result.failure!.box).toBe('w');
    expect(result.failure!.message).toContain(f);
  });

  it('when the network stops, the file still ends with whole lines', async () => {
    const f = tmp.file('stopped.txt');
    const net = makeNetwork({ nodes: { g: Generate, w: WriteLines }, edges: ['g.out -> w.in'], iips: [[1e9, 'g.count'], [f, 'w.dest']] });
    const done = net.run();
    await new Promise((r) => setTimeout(r, 60));
    net.stop('test');
    expect((await done).status).toBe('interrupted');
    // The box ends the file in a finally after run() resolved: wait for it to settle.
    let text = '';
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const now = readFileSync(f, 'utf8');
      if (now === text && now.length > 0) break;
      text = now;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    const expected = Array.from({ length: lines.length }, (_, i) => String(i + 1));
    expect(lines.every((l, i) => l === expected[i])).toBe(true);
  });
});
