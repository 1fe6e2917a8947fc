/**
 * core/Unbracket: forwards the data IPs and drops the brackets.
 *
 *   IN   any
 *   OUT  any
 *
 * Non-looper: at most one IP out per IP in; the runtime drops the brackets it does not send.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';

export default defineComponent({
  description: 'Drop brackets, forward data IPs',
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  process: {
    in(ip, out) {
      if (ip.kind === 'data') out.out.send(ip);
    },
  },
});
