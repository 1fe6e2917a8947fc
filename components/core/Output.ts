/**
 * core/Output: prints each data IP as one line on the network's standard output (ctx.stdout):
 * strings as-is, other values as JSON.stringify writes them; brackets are not printed.
 *
 *   IN   any   the values to print
 *   OUT  any   optional: every IP (brackets too) is passed on when connected, else dropped
 *
 * Looper, because it waits on the sink: when ctx.stdout.write returns false it awaits
 * 'drain' before writing again (back-pressure reaches the network through IN filling up).
 * Lines are gathered into one write of up to WRITE_CHUNK characters while IPs are waiting,
 * and written whenever the box is about to suspend, so a slow stream is printed at once and
 * a fast one does not cost a write (a system call on a pipe) per line. A wait for 'drain'
 * ends when the network stops.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { handled, lineOf, waitEvent } from '../support.ts';

const WRITE_CHUNK = 16384;

export default defineComponent({
  description: 'Print each data IP as a line on standard output (strings as-is, others as JSON)',
  inPorts: { in: port.any().describe('values to print') },
  outPorts: { out: port.any().describe('every IP, passed on after printing') },
  async run({ in: input }, { out }, ctx) {
    const sink = ctx.stdout;
    const pass = out.connected;
    let buf = '';
    const flush = (): Promise<void> | undefined => {
      const text = buf;
      buf = '';
      if (sink.write(text)) return undefined;
      return waitEvent(sink, 'drain', ctx.signal);
    };
    try {
      for (;;) {
        // About to wait for input: print what is gathered first (before the receive, so that no
        // IP is taken off the connection while the box waits for 'drain').
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
            const w = flush();
            if (w !== undefined) await w;
          }
        }
        if (pass) {
          const ok = out.send(ip);
          if (ok instanceof Promise) {
            if (buf.length > 0) {
              const w = flush();
              if (w !== undefined) {
                handled(ok);
                await w;
              }
            }
            await ok;
          }
        } else {
          ctx.drop(ip);
        }
      }
      if (buf.length > 0) {
        const w = flush();
        if (w !== undefined) await w;
      }
    } finally {
      // Stopped (Ctrl-C, a failure elsewhere): print the lines already received.
      if (buf.length > 0 && ctx.signal.aborted) sink.write(buf);
    }
  },
});
