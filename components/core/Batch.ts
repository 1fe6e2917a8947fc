/**
 * core/Batch: groups the data IPs in brackets, SIZE at a time: an open bracket before each
 * group of SIZE data IPs and a close bracket after it; a final partial group is closed at end
 * of stream. Incoming brackets are forwarded as they are (they do not end a group).
 *
 *   IN    any
 *   SIZE  number   data IPs per group (an IIP; an integer >= 1)
 *   OUT   any
 *
 * Non-looper with a param (ctx.params.size) and state (the open group's fill): each call
 * sends at most three IPs (open, the data, close), so it never needs to suspend.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { checkInteger } from '../support.ts';

export default defineComponent({
  description: 'Put every SIZE data IPs between an open and a close bracket',
  inPorts: {
    in: port.any(),
    size: port.number().describe('data IPs per group'),
  },
  outPorts: { out: port.any() },
  state: () => ({ fill: 0, size: 0 }),
  process: {
    in(ip, out, ctx) {
      const s = ctx.state;
      if (s.size === 0) s.size = checkInteger(ctx.params.size, 1, 'Batch', 'size');
      if (ip.kind !== 'data') {
        out.out.send(ip);
        return;
      }
      if (s.fill === 0) out.out.openBracket();
      out.out.send(ip);
      if (++s.fill === s.size) {
        out.out.closeBracket();
        s.fill = 0;
      }
    },
  },
  end(out, ctx) {
    if (ctx.state.fill > 0) out.out.closeBracket();
  },
});
