/**
 * groups/Collect: turns each bracketed substream into one array IP, so that the groups made
 * by core/Batch become visible to core/Output (which prints data IPs and skips brackets).
 *
 *   IN   any     a stream with brackets
 *   OUT  array   one array per top-level group; nested groups become nested arrays
 *
 * Data IPs outside any group are forwarded as they are. A non-looper with state (the stack
 * of groups still open): each call sends at most one IP.
 */
import { defineComponent, port } from '../../../../src/index.ts';

export default defineComponent({
  description: 'Turn each bracketed group into one array',
  inPorts: { in: port.any().describe('a stream with brackets') },
  outPorts: { out: port.any().describe('one array per group') },
  state: () => ({ open: [] as unknown[][] }),
  process: {
    in(ip, out, ctx) {
      const open = ctx.state.open;
      if (ip.kind === 'open') {
        open.push([]);
      } else if (ip.kind === 'close') {
        const group = open.pop();
        if (group === undefined) return; // unbalanced close: ignore it
        if (open.length > 0) open[open.length - 1].push(group);
        else out.out.emit(group);
      } else if (open.length > 0) {
        open[open.length - 1].push(ip.data);
      } else {
        out.out.send(ip);
      }
    },
  },
  end(out, ctx) {
    // A stream that ended inside a group: send what was gathered.
    const open = ctx.state.open;
    while (open.length > 1) open[open.length - 2].push(open.pop()!);
    if (open.length === 1) out.out.emit(open.pop()!);
  },
});
