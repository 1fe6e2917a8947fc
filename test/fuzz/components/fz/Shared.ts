/** fz/Shared: a component with a shared (arena) port, for the loader fuzzer; never run. */
import { defineComponent, port } from '../../../../src/index.ts';

export default defineComponent({
  description: 'A shared port, for the loader fuzzer',
  inPorts: { in: port.shared().optional() },
  outPorts: { out: port.shared() },
  process: {
    in(ip, out) {
      out.out.send(ip);
    },
  },
});
