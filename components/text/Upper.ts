/**
 * text/Upper: upper-cases each data IP (non-strings are converted with String first);
 * brackets are forwarded.
 *
 *   IN   any
 *   OUT  string
 *
 * Non-looper reusing the received IP (its data is replaced and the same IP is sent): one IP
 * in, one out, no allocation of a new IP, never needs to suspend.
 */
import { defineComponent } from '../../src/component/define.ts';
import type { DataIP } from '../../src/ip/ip.ts';
import { port } from '../../src/component/port.ts';

export default defineComponent({
  description: 'Upper-case strings',
  inPorts: { in: port.any() },
  outPorts: { out: port.string() },
  process: {
    in(ip, out) {
      if (ip.kind === 'data') {
        const v = ip.data;
        ip.data = (typeof v === 'string' ? v : String(v)).toUpperCase();
        out.out.send(ip as DataIP<string>);
      } else {
        out.out.send(ip);
      }
    },
  },
});
