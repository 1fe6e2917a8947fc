import { describe, it, expect } from 'vitest';
import Words from './Words.ts';
import Take from '../core/Take.ts';
import { MODES, SINK, close, feed, open, pipe, runCollect } from '../../test/helpers/components.ts';

describe.each(MODES)('text/Words ($name)', ({ opts }) => {
  it('splits on punctuation and spaces, lower-cased', async () => {
    const { result, got } = await pipe(Words, ['Hello, World! Hello... world?', '  --  ', 'e-mail: a_b@c.d (x2)'], opts);
    expect(result.status).toBe('finished');
    expect(got).toEqual(['hello', 'world', 'hello', 'world', 'e', 'mail', 'a', 'b', 'c', 'd', 'x2']);
  });

  it('keeps Unicode letters and digits, and apostrophes inside words', async () => {
    const { got } = await pipe(Words, ["Don't STOP—Café Ünïcødé 2024 ΑΘΗΝΑ 東京 ٣٤", "it's rock 'n' roll"], opts);
    expect(got).toEqual(["don't", 'stop', 'café', 'ünïcødé', '2024', 'αθηνα', '東京', '٣٤', "it's", 'rock', "'n'", 'roll']);
  });

  it('a typographic apostrophe splits (only the ASCII one is part of a word)', async () => {
    const { got } = await pipe(Words, ['don’t'], opts);
    expect(got).toEqual(['don', 't']);
  });

  it('forwards brackets; an empty line gives no word', async () => {
    const { got } = await pipe(Words, [open('p'), 'A b', '', close('p'), 42], opts);
    expect(got).toEqual([open('p'), 'a', 'b', close('p'), '42']);
  });

  it('a long line gives many words under back-pressure', async () => {
    const line = Array.from({ length: 100000 }, (_, i) => `W${i}`).join(' ');
    const { result, got } = await pipe(Words, [line], opts);
    expect(result.status).toBe('finished');
    expect(got.length).toBe(100000);
    expect(got[99999]).toBe('w99999');
  });

  it('stops when OUT closes', async () => {
    const line = Array.from({ length: 100000 }, (_, i) => `w${i}`).join(' ');
    const { result, got } = await runCollect(
      { nodes: { src: feed([line, line, line]), w: Words, t: Take, sink: SINK }, edges: ['src.out -> w.in', 'w.out -> t.in', 't.out -> sink.in'], iips: [[2, 't.count']] },
      opts,
    );
    expect(result.status).toBe('finished');
    expect(got).toEqual(['w0', 'w1']);
    expect(result.stats.boxes.find((b) => b.box === 'w')!.ipsOut).toBeLessThan(50);
  });
});
