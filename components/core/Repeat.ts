/**
 * core/Repeat: forwards every IP unchanged (brackets too).
 *
 *   IN   any
 *   OUT  any
 *
 * Non-looper: one IP in, one IP out, so it never needs to suspend; this is the fast path.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';

export default defineComponent({
  description: 'Forward every IP unchanged',
  inPorts: { in: port.any() },
  outPorts: { out: port.any() },
  process: {
    in(ip, out) {
      out.out.send(ip);
    },
  },
});
