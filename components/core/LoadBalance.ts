/**
 * core/LoadBalance: sends each IP to the OUT element with the fewest queued IPs.
 *
 *   IN     any
 *   OUT[]  any   array port; unconnected or closed elements are skipped
 *
 * The element is chosen by `port.queued` (ties: the lowest index). A bracketed substream,
 * from an open bracket to its matching close (nesting counted), goes to one element as a
 * whole: the choice is made only between top-level IPs. If the chosen element closes inside
 * a substream, the rest of that substream is dropped (moving it elsewhere would unbalance
 * both receivers). When every element is closed it closes IN and returns.
 *
 * Looper: it suspends when the chosen element is full (all of them are, then: it picked
 * the least-filled one).
 */
import { defineComponent, type OutPort } from '../../src/component/define.ts';
import { port } from '../../src/component/port.ts';

function pick(outs: readonly OutPort<unknown>[]): OutPort<unknown> | null {
  let best: OutPort<unknown> | null = null;
  let fewest = Infinity;
  for (let i = 0; i < outs.length; i++) {
    const o = outs[i];
    if (!o.connected || o.closed) continue;
    const q = o.queued;
    if (q < fewest) {
      fewest = q;
      best = o;
      if (q === 0) break;
    }
  }
  return best;
}

export default defineComponent({
  description: 'Send each IP (or bracketed substream) to the least busy OUT element',
  inPorts: { in: port.any() },
  outPorts: { out: port.any().array().describe('workers') },
  async run({ in: input }, { out: outs }, ctx) {
    let depth = 0;
    let target: OutPort<unknown> | null = null;
    for (;;) {
      let ip = input.receive();
      if (ip instanceof Promise) ip = await ip;
      if (ip === null) return;
      if (depth === 0) {
        target = pick(outs);
        if (target === null) {
          ctx.drop(ip);
          input.close();
          return;
        }
      }
      if (ip.kind === 'open') depth++;
      else if (ip.kind === 'close' && depth > 0) depth--;
      const ok = target!.send(ip);
      if (ok instanceof Promise) await ok;
    }
  },
});
