import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import ReadLines from './ReadLines.ts';
import Take from './Take.ts';
import { MODES, SINK, runCollect, tempDir } from '../../test/helpers/components.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function readFile(path: string, opts = {}) {
  return runCollect({ nodes: { r: ReadLines, sink: SINK }, edges: ['r.out -> sink.in'], iips: [[path, 'r.source']] }, opts);
}

describe.each(MODES)('core/ReadLines ($name)', ({ opts }) => {
  it('sends one string per line, without line breaks', async () => {
    const f = tmp.file('plain.txt');
    writeFileSync(f, 'one\ntwo\n\nfour\n');
    const { result, got } = await readFile(f, opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual(['one', 'two', '', 'four']);
  });

  it('handles \\r\\n and a last line without a line break', async () => {
    const f = tmp.file('crlf.txt');
    writeFileSync(f, 'a\r\nb\r\n\r\nc');
    const { got } = await readFile(f, opts);
    expect(got).toEqual(['a', 'b', '', 'c']);
  });

  it('an empty file sends nothing; a lone line break is one empty line', async () => {
    const e = tmp.file('empty.txt');
    writeFileSync(e, '');
    expect((await readFile(e, opts)).got).toEqual([]);
    const nl = tmp.file('nl.txt');
    writeFileSync(nl, '\n');
    expect((await readFile(nl, opts)).got).toEqual(['']);
  });

  it('keeps lines whole across chunk boundaries (long lines, multi-byte text)', async () => {
    const f = tmp.file('long.txt');
    const lines = Array.from({ length: 3000 }, (_, i) => `${i} ${'é€😀'.repeat(i % 50)} ${'x'.repeat(i % 97)}`);
    writeFileSync(f, lines.join('\r\n') + '\r\n');
    const { result, got } = await readFile(f, opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual(lines);
  });
});

describe('core/ReadLines', () => {
  let big = '';
  beforeAll(() => {
    big = tmp.file('big.txt');
    const block = Array.from({ length: 10000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    writeFileSync(big, block.repeat(50)); // about 4.4 MB, 500,000 lines
  });

  it('a missing file fails the box with a message naming the path', async () => {
    const f = tmp.file('does-not-exist.txt');
    const { result } = await readFile(f);
    expect(result.status).toBe('failed');
    expect(result.failure!.box).toBe('r');
    expect(result.failure!.message).toContain(f);
  });

  it('stops reading and closes the file once OUT is closed', async () => {
    const fds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
    const before = fds();
    const { result, got } = await runCollect({
      nodes: { r: ReadLines, t: Take, sink: SINK },
      edges: ['r.out -> t.in', 't.out -> sink.in'],
      iips: [[big, 'r.source'], [3, 't.count']],
    });
    expect(result.status).toBe('finished');
    expect(got).toEqual(['line 0', 'line 1', 'line 2']);
    // Reading stopped after the first chunk or two, not after 500,000 lines.
    expect(result.stats.boxes.find((b) => b.box === 'r')!.ipsOut).toBeLessThan(20000);
    expect(fds()).toBe(before);
  });

  it('reads a large file under back-pressure', async () => {
    const { result, got } = await readFile(big, { capacity: 1 });
    expect(result.status).toBe('finished');
    expect(got.length).toBe(500000);
    expect(got[499999]).toBe('line 9999');
    expect(Math.max(...result.stats.connections.map((c) => c.maxFill))).toBe(1);
  });
});
