// Benchmark component (bench/arena.ts): the copying counterpart of ArenaSource. It emits COUNT
// payloads of SIZE float64s (default 1 MiB) through port.bytes(), which copies them into the
// ring (in fragments: a 1 MiB record is larger than the ring). One Float64Array is reused: the
// codec has copied it once the send completes (every send is awaited), and only the first and
// last elements change, as in ArenaSource.
import { defineComponent } from '../../../src/component/define.ts';
import { port } from '../../../src/component/port.ts';
import { clock } from '../_report.ts';

export default defineComponent({
  inPorts: { count: port.number(), size: port.number().default(131072), max_ms: port.number().default(0) },
  outPorts: { out: port.bytes() },
  async run(ins, { out }, ctx) {
    const p: Record<string, unknown> = {};
    for (const name of ['count', 'size', 'max_ms'] as const) {
      const port = ins[name];
      if (!port.connected) continue;
      const ip = await port.receive();
      if (ip !== null) {
        p[name] = ip.data;
        ctx.drop(ip);
      }
    }
    const n = p.count as number;
    const size = (p.size as number | undefined) ?? 131072;
    const maxMs = (p.max_ms as number | undefined) ?? 0;
    const until = maxMs > 0 ? clock() + maxMs : 0;
    const buf = new Float64Array(size);
    const bytes = new Uint8Array(buf.buffer);
    for (let i = 0; i < n; i++) {
      if ((i & 63) === 0 && until > 0 && clock() > until) return;
      buf[0] = i;
      buf[size - 1] = i;
      let r = out.emit(bytes);
      if (r instanceof Promise) r = await r;
      if (!r) throw new Error('BytesSource: the connection closed early');
    }
  },
});
