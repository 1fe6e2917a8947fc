/**
 * core/WriteLines: writes one line per data IP to a file (strings as-is, other values as
 * JSON.stringify writes them); brackets are ignored. The file is created or truncated.
 *
 *   IN    any      the values to write
 *   DEST  string   the file's path (an IIP)
 *
 * Looper: it awaits the file. Lines are gathered into writes of up to WRITE_CHUNK characters
 * (written whenever the box is about to suspend) and when the write stream's buffer is full
 * (write returns false) it awaits 'drain', so a fast producer is slowed down instead of
 * buffering without bound. At end of stream it ends the file and awaits 'finish' (then
 * 'close', so the file is closed when the box ends) before returning. If the network stops
 * (ctx.signal aborts, or a port operation throws E_STOPPED) the `finally` still writes the
 * whole lines gathered so far and ends the file: the file never holds a torn line, and holds
 * every IP the box received. A file that cannot be written fails the box with a message
 * naming the path.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { NONE, lineOf, readParam } from '../support.ts';

const WRITE_CHUNK = 65536;

export default defineComponent({
  description: 'Write one line per data IP to a file',
  inPorts: {
    in: port.any().describe('values to write, one line each'),
    dest: port.string().describe('path of the file to write'),
  },
  outPorts: {},
  async run({ in: input, dest }, _out, ctx) {
    const path = await readParam(dest, ctx, 'WriteLines');
    if (path === NONE) {
      input.close();
      return;
    }
    if (typeof path !== 'string' || path === '') throw new Error(`WriteLines: DEST must be a file path, got ${JSON.stringify(path)}`);
    const stream = createWriteStream(path);
    let failure: Error | null = null;
    stream.on('error', (e) => {
      failure ??= e;
    });
    const fail = (e: unknown): never => {
      throw new Error(`WriteLines: cannot write ${path}: ${(e as Error).message}`, { cause: e });
    };
    let buf = '';
    /** Write the gathered lines; a Promise when the stream asks to wait for 'drain'. */
    const flush = (): Promise<unknown> | undefined => {
      if (failure !== null) fail(failure);
      const text = buf;
      buf = '';
      if (stream.write(text)) return undefined;
      return once(stream, 'drain', { signal: ctx.signal }).catch((e) => {
        if (ctx.signal.aborted) throw e;
        fail(e);
      });
    };
    let ended = false;
    try {
      for (;;) {
        // About to wait for input: write what is gathered first. Flushing before the receive
        // (not while it is pending) means no IP is ever taken off the connection while the
        // box waits for 'drain', so a stop there loses nothing that was received.
        if (buf.length > 0 && input.queued === 0) {
          const w = flush();
          if (w !== undefined) await w;
        }
        let ip = input.receive();
        if (ip instanceof Promise) ip = await ip;
        if (ip === null) break;
        if (ip.kind === 'data') {
          buf += lineOf(ip.data) + '\n';
          if (buf.length >= WRITE_CHUNK) {
            ctx.drop(ip);
            const w = flush();
            if (w !== undefined) await w;
            continue;
          }
        }
        ctx.drop(ip);
      }
      if (failure !== null) fail(failure);
      ended = true;
      const text = buf;
      buf = '';
      stream.end(text);
      try {
        await once(stream, 'finish');
        if (!stream.closed) await once(stream, 'close');
      } catch (e) {
        fail(e);
      }
    } finally {
      if (!ended) {
        // Stopped or failed: keep the whole lines gathered so far and end the file cleanly.
        const text = buf;
        buf = '';
        if (!stream.destroyed) stream.end(text);
      }
    }
  },
});
