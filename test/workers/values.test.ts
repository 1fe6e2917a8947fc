/**
 * Values crossing workers intact. workers/Values (pinned on worker 0) sends fixed lists on a
 * f64, an i32, a struct, a bytes and an any out-port, each framed by brackets with and without
 * group names; a workers/Show box per port, pinned on worker 1, prints each IP exactly (show()).
 * The lists hold NaN, -0, ±Infinity, integer extremes, BigInt, undefined, nested objects,
 * Map/Set/Date, typed arrays, a 1 MB string and two 3 MB byte arrays (bigger than their ring:
 * they cross in fragments).
 *
 * What a crossing changes, by declaration (shm/codec.ts, shm/codec-any.ts): an integer port
 * stores -0 as 0; an array hole arrives as undefined. Everything else prints the same as sent.
 */
import { describe, expect, it } from 'vitest';
import { formatDeadlock, type RunResult } from '../../src/index.ts';
import { show } from '../fixtures/components/workers/Show.ts';
import { F64, I32, STRUCT, anyItems, bytesItems, type Item } from '../fixtures/components/workers/Values.ts';
import { G, runCaptured } from './helpers.ts';

const PORTS = ['f64', 'i32', 'pt', 'bytes', 'any'] as const;

function graph(sender: number, receivers: number) {
  const g = new G().node('V', 'workers/Values', { worker: sender });
  for (const p of PORTS) {
    g.node(`S${p}`, 'workers/Show', { worker: receivers });
    g.edge(`V.${p}`, `S${p}.in`, 2);
  }
  return g.graph;
}

function lineOf(box: string, it: Item): string {
  if ('data' in it) return `${box} data ${show(it.data)}`;
  if ('open' in it) return `${box} open ${show(it.open)}`;
  return `${box} close ${show(it.close)}`;
}

/** What each Show box should print, as the values are after a crossing. */
function expectedLines(crossing: boolean): Record<string, string[]> {
  const i32 = crossing ? I32.map((it) => ('data' in it && Object.is(it.data, -0) ? { data: 0 } : it)) : I32;
  const any = anyItems().map((it) => {
    if (crossing && 'data' in it && Array.isArray(it.data) && it.data.length === 3 && !(1 in it.data)) return { data: [1, undefined, 3] };
    return it;
  });
  const lists: Record<string, Item[]> = { f64: F64, i32, pt: STRUCT, bytes: bytesItems(), any };
  return Object.fromEntries(PORTS.map((p) => [`S${p}`, lists[p].map((it) => lineOf(`S${p}`, it))]));
}

function byBox(lines: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of lines) {
    const box = l.slice(0, l.indexOf(' '));
    (out[box] ??= []).push(l);
  }
  return out;
}

function outcome(r: RunResult): string {
  const what = r.failure ? `${r.failure.box}: [${r.failure.code}] ${r.failure.message}` : r.deadlock ? formatDeadlock(r.deadlock) : r.status;
  const notDone = r.stats.boxes.filter((b) => b.state !== 'done').map((b) => `${b.box}:${b.state}`);
  return notDone.length > 0 ? `${what}\nboxes not done: ${notDone.join(', ')}` : what;
}

describe('values across workers', () => {
  it('the expectations are sane: show() tells apart what must not be confused', () => {
    expect(show(-0)).not.toBe(show(0));
    expect(show(undefined)).not.toBe(show(null));
    expect(show('')).not.toBe(show(undefined));
    expect(show(1n)).not.toBe(show(1));
    expect(show(new Map([[1, 2]]))).not.toBe(show({ 1: 2 }));
    expect(show(new Set([1]))).not.toBe(show([1]));
    expect(show(new Date(5))).not.toBe(show(5));
    expect(show(new Uint8Array([1]))).not.toBe(show([1]));
    expect(show(Buffer.from([1]))).not.toBe(show(new Uint8Array([1])));
    // The big values are really big.
    const any = anyItems();
    expect(any.some((it) => 'data' in it && typeof it.data === 'string' && it.data.length === 1 << 20)).toBe(true);
    expect(bytesItems().some((it) => 'data' in it && it.data instanceof Uint8Array && it.data.length === 3 << 20)).toBe(true);
  });

  it('every value and bracket arrives intact on another worker (big ones in fragments)', async () => {
    const { result, lines } = await runCaptured(graph(0, 1), { workers: 2 });
    expect(result.status, outcome(result)).toBe('finished');
    expect(result.exitCode).toBe(0);
    const got = byBox(lines);
    const want = expectedLines(true);
    for (const p of PORTS) expect(got[`S${p}`], `port ${p}`).toEqual(want[`S${p}`]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  });

  it('on one thread the same values print the same (an i32 port keeps -0 there)', async () => {
    const { result, lines } = await runCaptured(graph(0, 0), { workers: 1 });
    expect(result.status, outcome(result)).toBe('finished');
    const got = byBox(lines);
    const want = expectedLines(false);
    for (const p of PORTS) expect(got[`S${p}`], `port ${p}`).toEqual(want[`S${p}`]);
  });

  it('an i32 port given 3.5 on another worker fails the sender with E_ENCODE naming the port', async () => {
    const g = new G().node('Bad', 'workers/BadI32', { worker: 0 }).node('Shw', 'workers/Show', { worker: 1 }).edge('Bad.out', 'Shw.in');
    const { result, lines } = await runCaptured(g.graph, { workers: 2 });
    expect(result.status, outcome(result)).toBe('failed');
    expect(result.exitCode).toBe(1);
    const f = result.failure!;
    expect(f.box).toBe('Bad');
    expect(f.component).toBe('workers/BadI32');
    expect(f.code).toBe('E_ENCODE');
    expect(f.message).toMatch(/3\.5/);
    expect(f.message).toMatch(/i32/);
    expect(f.message).toMatch(/Bad\.out -> Shw\.in/);
    // At most what was sent before the bad value, in order; nothing after it.
    expect(['Shw data num(1)', 'Shw data num(2)'].slice(0, lines.length)).toEqual(lines);
  });
});
