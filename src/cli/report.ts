/**
 * What the `weft` command prints on stderr: diagnostics, failures, deadlocks, statistics and
 * the live status line. Pure formatting; the caller writes.
 */
import { formatBytes, formatDeadlock, formatDiagnostic, type Diagnostic, type NetworkStats, type RunResult } from '../index.ts';

export function formatDiagnostics(diags: Diagnostic[], file?: string): string {
  return diags.map((d) => formatDiagnostic(d, file)).join('\n');
}

export function formatFailure(r: RunResult): string {
  const f = r.failure!;
  const where = f.worker === undefined ? '' : ` on worker ${f.worker}`;
  const head = `weft: box ${f.box}${f.component ? ` (${f.component})` : ''}${where} failed: ${f.code ? `[${f.code}] ` : ''}${f.message}`;
  const stack = f.stack && !f.code ? '\n' + indent(f.stack.split('\n').slice(1).join('\n')) : '';
  return head + stack;
}

export function formatResult(r: RunResult): string | undefined {
  switch (r.status) {
    case 'failed':
      return formatFailure(r);
    case 'deadlock':
      if (r.stalled) {
        const who = r.stalled.map((b) => `${b.box} (${b.component})`).join(', ') || 'none';
        return `weft: the network stalled: nothing is left to do, yet it has not ended; boxes awaiting a promise that nothing can settle: ${who}`;
      }
      return 'weft: ' + formatDeadlock(r.deadlock!);
    case 'interrupted':
      return `weft: interrupted (${r.reason ?? 'stopped'}) after ${seconds(r.stats.elapsedMs)}`;
    default:
      return undefined;
  }
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => '  ' + l.trim())
    .join('\n');
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function count(n: number): string {
  if (n >= 1e9) return (n / 1e9).toFixed(2) + 'G';
  if (n >= 1e6) return (n / 1e6).toFixed(2) + 'M';
  if (n >= 1e4) return (n / 1e3).toFixed(1) + 'k';
  return String(n);
}

function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
    .join('\n');
}

export function formatStats(s: NetworkStats): string {
  const t = s.totals;
  const rate = s.elapsedMs > 0 ? (t.sent / s.elapsedMs) * 1000 : 0;
  const out = [
    `weft stats: ${seconds(s.elapsedMs)}, IPs created ${t.created}, sent ${t.sent}, received ${t.received}, dropped ${t.dropped} (${count(Math.round(rate))} sends/s)`,
    '',
    table(
      ['box', 'component', 'state', 'in', 'out', 'activations', 'busy ms'],
      s.boxes.map((b) => [b.box, b.component, b.state, b.ipsIn, b.ipsOut, b.activations, s.timing ? b.busyMs.toFixed(1) : '-']),
    ),
  ];
  if (s.connections.length > 0) {
    out.push(
      '',
      table(
        ['connection', 'carried', 'max fill', 'capacity'],
        s.connections.map((c) => [c.edge, c.carried, c.maxFill, c.capacity]),
      ),
    );
  }
  if (s.workers && s.workers.length > 0) {
    out.push(
      '',
      table(
        ['worker', 'boxes', 'activations', 'ring in', 'ring out', 'busy ms', 'idle ms'],
        s.workers.map((w) => [w.worker, w.boxes, w.activations, w.ringIn, w.ringOut, w.busyMs.toFixed(0), w.idleMs.toFixed(0)]),
      ),
    );
  }
  if (s.arena) {
    const a = s.arena;
    out.push(
      '',
      `shared arena: ${formatBytes(a.bytes)}; at the end ${formatBytes(a.inUse)} in ${a.liveBlocks} live block${a.liveBlocks === 1 ? '' : 's'}; peak ${formatBytes(a.peak)}; ${a.allocations} allocations, ${a.frees} frees`,
    );
  }
  if (s.hogs && s.hogs.length > 0) {
    out.push('', table(['hog (watchdog)', 'component', 'worker', 'longest ms'], s.hogs.map((h) => [h.box, h.component, h.worker, h.ms])));
  }
  return out.join('\n');
}

export function statusLine(elapsedMs: number, a: { active: number; blocked: number; done: number; sends: number }): string {
  return `weft: ${seconds(elapsedMs)}  ${count(a.sends)} IP sends  ${a.active} active  ${a.blocked} blocked  ${a.done} done`;
}
