/**
 * text/Words: splits each line into its words, lower-cased; brackets are forwarded.
 *
 *   IN   string   lines (other values are converted with String first)
 *   OUT  string   one IP per word
 *
 * A word is a maximal run of Unicode letters, digits and apostrophes (/[\p{L}\p{N}']+/gu):
 * "Don't stop—2 Café!" gives "don't", "stop", "2", "café". Only the ASCII apostrophe counts
 * (a typographic ’ splits), and combining marks (\p{M}) split too, so text in decomposed
 * form (NFD) should be normalized upstream. Lower-casing is String.prototype.toLowerCase
 * (locale-independent), applied to each word after matching.
 *
 * Looper: a long line can give any number of words, more than a non-looper may queue in one
 * call; a looper suspends on a full connection instead. When OUT closes it closes IN and
 * returns.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';

const WORD = /[\p{L}\p{N}']+/gu;

export default defineComponent({
  description: 'Split lines into lower-cased words',
  inPorts: { in: port.string().describe('lines of text') },
  outPorts: { out: port.string().describe('words, lower-cased') },
  async run({ in: input }, { out }, ctx) {
    for (;;) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) return;
      if (ip.kind !== 'data') {
        let ok = out.send(ip);
        if (ok instanceof Promise) ok = await ok;
        if (!ok) break;
        continue;
      }
      const v: unknown = ip.data;
      const line = typeof v === 'string' ? v : String(v);
      ctx.drop(ip);
      const words = line.match(WORD);
      if (words === null) continue;
      for (let i = 0; i < words.length; i++) {
        let ok = out.emit(words[i].toLowerCase());
        if (ok instanceof Promise) ok = await ok;
        if (!ok) {
          input.close();
          return;
        }
      }
    }
    input.close();
  },
});
