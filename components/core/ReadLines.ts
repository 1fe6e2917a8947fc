/**
 * core/ReadLines: reads a text file and sends one string per line.
 *
 *   SOURCE  string   the file's path (an IIP; each path received is read in turn)
 *   OUT     string   one IP per line, without its line break
 *
 * Lines end at "\n" or "\r\n"; a final line break does not make an empty last line, and an
 * empty file sends nothing. The text is decoded as UTF-8.
 *
 * Looper: it awaits file I/O and sends many IPs. The file is read in chunks through a
 * node:fs read stream consumed by async iteration, which reads the next chunk only when the
 * previous one was handled, so back-pressure from OUT stops the reading and the file is never
 * held in memory as a whole. When OUT is closed (a send returns false) it stops reading and
 * closes the file; the box returns only after the file is closed. A file that cannot be read
 * fails the box with a message naming the path.
 */
import { createReadStream } from 'node:fs';
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { NONE, readParam } from '../support.ts';

export default defineComponent({
  description: 'Read a text file and send one string per line',
  inPorts: { source: port.string().describe('path of the file to read') },
  outPorts: { out: port.string() },
  async run({ source }, { out }, ctx) {
    const path = await readParam(source, ctx, 'ReadLines');
    if (path === NONE) return;
    if (typeof path !== 'string' || path === '') throw new Error(`ReadLines: SOURCE must be a file path, got ${JSON.stringify(path)}`);
    const stream = createReadStream(path, { encoding: 'utf8', signal: ctx.signal });
    let rest = '';
    try {
      for await (const chunk of stream as AsyncIterable<string>) {
        const text = rest.length > 0 ? rest + chunk : chunk;
        const lines = text.split('\n');
        rest = lines.pop()!;
        for (let i = 0; i < lines.length; i++) {
          let line = lines[i];
          if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
          let ok = out.emit(line);
          if (ok instanceof Promise) ok = await ok;
          if (!ok) return;
        }
      }
      if (rest.length > 0) {
        let ok = out.emit(rest.charCodeAt(rest.length - 1) === 13 ? rest.slice(0, -1) : rest);
        if (ok instanceof Promise) ok = await ok;
      }
    } catch (e) {
      // File system errors carry `syscall`; anything else (E_STOPPED, ...) passes unchanged.
      if (ctx.signal.aborted || typeof (e as NodeJS.ErrnoException)?.syscall !== 'string') throw e;
      throw new Error(`ReadLines: cannot read ${path}: ${(e as Error).message}`, { cause: e });
    } finally {
      if (!stream.closed) {
        stream.destroy();
        await new Promise<void>((resolve) => stream.once('close', () => resolve()));
      }
    }
  },
});
