/**
 * core/Drop: consumes and drops every IP it receives.
 *
 *   IN   any
 *
 * Non-looper: the runtime drops the received IP when the handler returns without sending it.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';

export default defineComponent({
  description: 'Drop every IP',
  inPorts: { in: port.any() },
  outPorts: {},
  process: {
    in() {},
  },
});
