/**
 * core/Take: forwards the first COUNT data IPs, then stops.
 *
 *   IN     any
 *   COUNT  number   how many data IPs (an IIP; an integer >= 0)
 *   OUT    any
 *
 * Brackets met before the COUNT-th data IP are forwarded; then a close bracket (with the
 * group name of its open) is sent for every bracket still open, so the output is balanced.
 * Then it closes IN early, so that the upstream's sends fail and it can stop
 * (Generate 10,000,000 → Take 3 ends after a few IPs). COUNT 0 closes IN at once.
 *
 * Looper: it ends its input before the end of stream, which needs `close()` on the in-port.
 */
import { defineComponent } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';
import { NONE, checkInteger, readParam } from '../support.ts';

export default defineComponent({
  description: 'Forward the first COUNT data IPs, balancing brackets, then close the input',
  inPorts: {
    in: port.any(),
    count: port.number().describe('how many data IPs to forward'),
  },
  outPorts: { out: port.any() },
  async run({ in: input, count }, { out }, ctx) {
    const v = await readParam(count, ctx, 'Take');
    const n = v === NONE ? 0 : checkInteger(v, 0, 'Take', 'count');
    const open: (string | undefined)[] = [];
    let seen = 0;
    let live = true;
    while (seen < n) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) break;
      if (ip.kind === 'data') seen++;
      else if (ip.kind === 'open') open.push(ip.data);
      else open.pop();
      let ok = out.send(ip);
      if (ok instanceof Promise) ok = await ok;
      if (!ok) {
        live = false;
        break;
      }
    }
    while (live && open.length > 0) {
      let ok = out.closeBracket(open.pop());
      if (ok instanceof Promise) ok = await ok;
      if (!ok) live = false;
    }
    input.close();
    count.close();
  },
});
