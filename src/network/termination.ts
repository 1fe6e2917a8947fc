/**
 * Deadlock reports. The scheduler finds quiescence (no box ready, none running, some alive:
 * nothing can ever wake one); this module turns a snapshot of the blocked boxes into the
 * report: every blocked box with the port and connection it waits on, and a cycle of the
 * wait-for graph.
 *
 * Wait-for edges: a box blocked sending waits for the receiver of that connection; a box
 * blocked receiving (or waiting for any input) waits for every live sender of the
 * connections it waits on. Every blocked box waits for at least one live box (a connection
 * whose senders are all done is closed, and a receive on it does not block), so in a finite
 * network the wait-for graph of a quiescent network always holds a cycle.
 *
 * Pure functions over data, so they are unit-tested without running anything.
 */

export interface WaitInfo {
  box: string;
  component: string;
  /** `send`: blocked on a full connection; `receive`: on an empty one; `input`: on any. */
  kind: 'send' | 'receive' | 'input';
  /** The port waited on (`OUT[1]`), absent for `input`. */
  port?: string;
  /** The connection, `A.OUT -> B.IN`. */
  edge?: string;
  fill?: number;
  capacity?: number;
  /** Boxes this one waits for. */
  waitsOn: string[];
}

export interface DeadlockReport {
  blocked: WaitInfo[];
  /** Box names around one cycle of the wait-for graph, first one repeated at the end. */
  cycle: string[];
}

export function findCycle(waits: WaitInfo[]): string[] {
  const edges = new Map<string, string[]>();
  for (const w of waits) edges.set(w.box, w.waitsOn.filter((b) => b !== undefined));
  const state = new Map<string, 1 | 2>(); // 1 on the stack, 2 finished
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (!edges.has(m)) continue;
      const s = state.get(m);
      if (s === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (s === undefined) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const w of waits) {
    if (state.has(w.box)) continue;
    const c = visit(w.box);
    if (c) return c;
  }
  return [];
}

export function deadlockReport(waits: WaitInfo[]): DeadlockReport {
  return { blocked: waits, cycle: findCycle(waits) };
}

export function formatDeadlock(r: DeadlockReport): string {
  const lines = [`deadlock: no box can progress (${r.blocked.length} blocked)`];
  for (const w of r.blocked) {
    const what =
      w.kind === 'input'
        ? 'waiting for input on any in-port'
        : `${w.kind === 'send' ? 'sending to' : 'receiving from'} ${w.port}` +
          (w.edge ? ` on ${w.edge}` : '') +
          (w.capacity !== undefined ? ` (${w.fill}/${w.capacity} IPs${w.kind === 'send' ? ', full' : w.fill === 0 ? ', empty' : ''})` : '');
    lines.push(`  ${w.box} (${w.component}): ${what}`);
  }
  if (r.cycle.length > 0) lines.push(`cycle: ${r.cycle.join(' -> ')}`);
  return lines.join('\n');
}
