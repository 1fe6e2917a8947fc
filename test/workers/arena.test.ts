/**
 * The shared arena end to end (fixtures in test/fixtures/components/arena/): 1 MiB
 * Float64Arrays made by ctx.alloc cross workers by handle, and every way an IP can end frees
 * its block: drops (explicit and the non-looper's auto-drop), early closes (Take), refused
 * sends, failures mid-stream, both ownership modes, on one thread and on two workers, and
 * through a parallel node's shared queue. After every run the arena's counters say that
 * nothing is in use, unless the test is about a box that kept a block.
 */
import { describe, expect, it } from 'vitest';
import { defineComponent, network, port, type ArenaStats, type RunResult } from '../../src/index.ts';
import { join } from 'node:path';
import { tempDir, weft } from '../e2e/weft.ts';
import { capture, FIXTURES, G, runCaptured } from './helpers.ts';

const MiB = 1 << 20;
const SIZE = MiB / 8; // Float64Array elements in 1 MiB

function arenaOf(r: RunResult): ArenaStats {
  expect(r.stats.arena, 'stats.arena').toBeDefined();
  return r.stats.arena!;
}

/** Everything allocated was freed. */
function expectAllFreed(r: RunResult): void {
  const a = arenaOf(r);
  expect({ inUse: a.inUse, liveBlocks: a.liveBlocks, frees: a.frees }).toEqual({ inUse: 0, liveBlocks: 0, frees: a.allocations });
}

function why(r: RunResult): string {
  return `${r.status}: ${r.failure ? `${r.failure.box} [${r.failure.code}] ${r.failure.message}` : ''}`;
}

/** Make (worker 0) → P0 (worker 0) → P1 (worker 1) → C (worker 1): one ring, between P0 and P1. */
function chain(count: number, opts: { log?: boolean; failAt?: number } = {}) {
  return new G()
    .node('M', 'arena/Make', { worker: 0 })
    .node('P0', 'arena/Pass', { worker: 0 })
    .node('P1', 'arena/Pass', { worker: 1 })
    .node('C', 'arena/Check', { worker: 1 })
    .edge('M.out', 'P0.in')
    .edge('P0.out', 'P1.in')
    .edge('P1.out', 'C.in')
    .iip('M.count', count)
    .iip('M.log', opts.log ?? false)
    .iip('C.log', opts.log ?? false)
    .iip('C.fail_at', opts.failAt ?? -1).graph;
}

const MODES = [
  { workers: 2, checked: true },
  { workers: 2, checked: false },
  { workers: 1, checked: true },
  { workers: 1, checked: false },
];
const label = (m: { workers: number; checked: boolean }) => `${m.workers} worker${m.workers > 1 ? 's' : ''}, ${m.checked ? 'checked' : 'unchecked'}`;

describe('shared arena: payloads move without copying', () => {
  it.each(MODES)('40 arrays of 1 MiB through a chain ($workers workers, checked $checked): same bytes arrive, nothing copied, all freed', async (mode) => {
    const N = 40;
    const capacity = 4;
    const { result, lines } = await runCaptured(chain(N, { log: true }), { ...mode, capacity });
    expect(result.status, why(result)).toBe('finished');
    const sent = lines.filter((l) => l.startsWith('sent ')).map((l) => l.split(' '));
    const got = lines.filter((l) => l.startsWith('got ')).map((l) => l.split(' '));
    expect(sent.length).toBe(N);
    expect(got.length).toBe(N);
    for (let i = 0; i < N; i++) {
      // The receiver's view starts where the sender's did, in the same (shared) buffer.
      expect(got[i]).toEqual(['got', String(i), sent[i][2], 'SharedArrayBuffer']);
    }
    expect(lines).toContain(`check got ${N}`);
    expect(lines).toContain('make refused 0');
    expectAllFreed(result);
    const a = arenaOf(result);
    expect(a.allocations).toBe(N);
    expect(a.bytes).toBe(64 * MiB);
    // At most: three connections full, one array in each of the four boxes, one in flight.
    expect(a.peak).toBeLessThanOrEqual((3 * capacity + 5) * MiB);
    expect(a.peak).toBeGreaterThanOrEqual(MiB);
  });
});

describe('shared arena: every way an IP ends frees its block', () => {
  it.each(MODES)('early close: Take 3 in the middle of the chain, the producer sends 30 ($workers workers, checked $checked)', async (mode) => {
    const g = new G()
      .node('M', 'arena/Make', { worker: 0 })
      .node('P', 'arena/Pass', { worker: 0 })
      .node('T', 'core/Take', { worker: 1 })
      .node('C', 'arena/Check', { worker: 1 })
      .edge('M.out', 'P.in')
      .edge('P.out', 'T.in')
      .edge('T.out', 'C.in')
      .iip('M.count', 30)
      .iip('T.count', 3);
    const { result, lines } = await runCaptured(g.graph, { ...mode, capacity: 4 });
    expect(result.status, why(result)).toBe('finished');
    expect(lines).toContain('check got 3');
    // Discarded by the close (in the ring or queued locally), refused at P's send, refused at
    // M's send once P ended: all freed.
    expect(arenaOf(result).allocations).toBeGreaterThan(3);
    expectAllFreed(result);
  });

  it.each(MODES)('refused sends: Take 2 right behind the producer, 25 more refused ($workers workers, checked $checked)', async (mode) => {
    const g = new G()
      .node('M', 'arena/Make', { worker: 0 })
      .node('T', 'core/Take', { worker: 1 })
      .node('C', 'arena/Check', { worker: 1 })
      .edge('M.out', 'T.in', 2)
      .edge('T.out', 'C.in')
      .iip('M.count', 30)
      .iip('T.count', 2);
    const { result, lines } = await runCaptured(g.graph, mode);
    expect(result.status, why(result)).toBe('finished');
    expect(lines).toContain('check got 2');
    const refused = Number(lines.find((l) => l.startsWith('make refused '))!.split(' ')[2]);
    expect(refused).toBeGreaterThanOrEqual(25);
    expect(arenaOf(result).allocations).toBe(30);
    expectAllFreed(result);
  });

  it.each(MODES)('a failure mid-stream: the checker throws at array 5, holding it ($workers workers, checked $checked)', async (mode) => {
    const { result } = await runCaptured(chain(40, { failAt: 5 }), { ...mode, capacity: 4 });
    expect(result.status).toBe('failed');
    expect(result.failure?.box).toBe('C');
    expect(result.failure?.message).toMatch(/failing at array 5/);
    // The array C held, those queued in connections and rings, and a send the producer had
    // pending when it was stopped: all freed once the network ended.
    expectAllFreed(result);
  });

  it('a parallel node: arrays through the shared queue to two replicas on two workers', async () => {
    const g = new G()
      .node('M', 'arena/Make', { worker: 0 })
      .node('C', 'arena/Check', { parallel: 2 })
      .edge('M.out', 'C.in', 4)
      .iip('M.count', 24)
      .iip('C.ordered', false)
      .iip('C.log', true);
    const { result, lines } = await runCaptured(g.graph, { workers: 2 });
    expect(result.status, why(result)).toBe('finished');
    const values = lines.filter((l) => l.startsWith('got ')).map((l) => Number(l.split(' ')[1]));
    expect(values.sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(lines.filter((l) => l.startsWith('got ')).every((l) => l.endsWith(' SharedArrayBuffer'))).toBe(true);
    expectAllFreed(result);
  });

  it('an early close on a parallel node: two Take replicas close the shared queue, the rest is discarded and freed', async () => {
    const g = new G()
      .node('M', 'arena/Make', { worker: 0 })
      .node('T', 'core/Take', { parallel: 2 })
      .node('C', 'arena/Check', { worker: 1 })
      .edge('M.out', 'T.in', 4)
      .edge('T.out', 'C.in')
      .iip('M.count', 30)
      .iip('T.count', 2)
      .iip('C.ordered', false);
    const { result, lines } = await runCaptured(g.graph, { workers: 2 });
    expect(result.status, why(result)).toBe('finished');
    expect(lines).toContain('check got 4');
    expectAllFreed(result);
  });
});

describe('shared arena: misuse and limits', () => {
  it.each([1, 2])('a box that keeps arrays: the run finishes, stats.arena counts them, a warning says so (%i workers)', async (workers) => {
    const warnings: string[] = [];
    const g = new G().node('H', 'arena/Hoard', { worker: 0 }).iip('H.count', 3);
    const { result } = await runCaptured(g.graph, { workers, onWarning: (t) => warnings.push(t) });
    expect(result.status, why(result)).toBe('finished');
    expect(arenaOf(result)).toMatchObject({ liveBlocks: 3, inUse: 3 * 8192, allocations: 3, frees: 0 });
    expect(warnings.filter((w) => w.startsWith('shared arena: 3 blocks (24 KiB) still held after the network ended'))).toHaveLength(1);
  });

  it('a looper that ends an activation owning an arena IP: E_LEAK, as for any IP', async () => {
    const warnings: string[] = [];
    const g = new G().node('M', 'arena/Make').node('K', 'arena/Keep').edge('M.out', 'K.in').iip('M.count', 1);
    const { result } = await runCaptured(g.graph, { onWarning: (t) => warnings.push(t) });
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({ box: 'K', code: 'E_LEAK' });
    // The IP is in the looper's variable, out of the runtime's reach: reported, not freed.
    expect(arenaOf(result).liveBlocks).toBe(1);
    expect(warnings).toHaveLength(1);
  });

  it.each([
    { how: 'emit-again', checked: true, message: /already in an IP/ },
    { how: 'emit-again', checked: false, message: /already in an IP/ },
    { how: 'drop-twice', checked: false, message: /freed already/ },
    { how: 'drop-twice', checked: true, message: /already dropped/ },
    { how: 'subarray', checked: true, message: /ctx\.alloc did not make/ },
    { how: 'free-in-ip', checked: false, message: /in an IP; drop the IP/ },
  ])('$how (checked $checked): E_OWNERSHIP naming the box', async ({ how, checked, message }) => {
    const g = new G().node('M', 'arena/Make').node('X', 'arena/Misuse').node('C', 'arena/Check').edge('M.out', 'X.in').edge('X.out', 'C.in').iip('M.count', 3).iip('X.how', how);
    const { result } = await runCaptured(g.graph, { checked, onWarning: () => {} });
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({ box: 'X', code: 'E_OWNERSHIP' });
    expect(result.failure!.message).toMatch(message);
  });

  it.each([1, 2])('a full arena: E_ARENA naming the box, the request, the arena and --arena; what was queued is freed (%i workers)', async (workers) => {
    // The consumer waits before it takes anything: the producer fills the 4 MiB arena.
    const g = new G().node('M', 'arena/Make', { worker: 0 }).node('S', 'arena/Stall', { worker: workers - 1 }).edge('M.out', 'S.in', 10).iip('M.count', 20);
    const { result } = await runCaptured(g.graph, { workers, arenaBytes: 4 * MiB, onWarning: () => {} });
    expect(result.status).toBe('failed');
    expect(result.failure).toMatchObject({ box: 'M', code: 'E_ARENA' });
    expect(result.failure!.message).toMatch(/box M: ctx\.alloc\(Float64Array, 131072\) needs a block of 1 MiB .* 4 MiB of 4 MiB are in 4 live blocks.*--arena MiB/);
    expectAllFreed(result);
    expect(arenaOf(result).allocations).toBe(4);
  });

  it('a network without a shared port has no arena: no stats.arena, and ctx.alloc is E_ARENA', async () => {
    const plain = await runCaptured(new G().node('G', 'core/Generate').node('O', 'core/Drop').edge('G.out', 'O.in').iip('G.count', 3).graph);
    expect(plain.result.status, why(plain.result)).toBe('finished');
    expect(plain.result.stats.arena).toBeUndefined();
    const Alloc = defineComponent({
      inPorts: {},
      outPorts: { out: port.any() },
      async run(_in, { out }, ctx) {
        await out.emit(ctx.alloc(Uint8Array, 10));
      },
    });
    const r = await network().node('A', Alloc).node('O', 'core/Drop').connect('A.out', 'O.in').run({ stdout: capture() });
    expect(r.status).toBe('failed');
    expect(r.failure).toMatchObject({ box: 'A', code: 'E_ARENA' });
    expect(r.failure!.message).toMatch(/ctx\.alloc needs the network's shared arena, which a network has when one of its ports is declared port\.shared\(\)/);
  });

  it('arenaBytes out of range is E_USAGE before anything runs', async () => {
    await expect(runCaptured(chain(1), { arenaBytes: 1000 })).rejects.toMatchObject({ code: 'E_USAGE' });
    await expect(runCaptured(chain(1), { arenaBytes: 4096 * MiB })).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});

describe('weft run with a shared arena', () => {
  it('--arena sets its size, --stats prints its counters; a full arena is exit 1 naming --arena', async () => {
    const t = tempDir({
      'chain.fbp': [
        `'12' -> COUNT M(arena/Make:worker=0)`,
        `M OUT -> IN P(arena/Pass:worker=1)`,
        `P OUT -> IN C(arena/Check:worker=1)`,
        '',
      ].join('\n'),
    });
    try {
      const graph = join(t.dir, 'chain.fbp');
      const ok = await weft(['run', graph, '--components', FIXTURES, '--workers', '2', '--stats', '--arena', '16', '--capacity', '2'], { timeoutMs: 30_000 });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('check got 12');
      expect(ok.stderr).toMatch(/shared arena: 16 MiB; at the end 0 B in 0 live blocks; peak \d+(\.\d+)? MiB; 12 allocations, 12 frees/);
      const full = await weft(['run', graph, '--components', FIXTURES, '--workers', '1', '--arena', '1', '--capacity', '20'], { timeoutMs: 30_000 });
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(/box M \(arena\/Make\) failed: \[E_ARENA\] .*--arena MiB/);
      const bad = await weft(['run', graph, '--components', FIXTURES, '--arena', '0'], { timeoutMs: 30_000 });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--arena must be an integer in 1\.\.2048/);
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
