import { describe, expect, it } from 'vitest';
import { isWeftError } from '../errors.ts';
import { createArenaBuffer } from './arena.ts';
import { ArenaViews, HANDLE_BYTES, isArenaView, VIEW_TYPES } from './arena-views.ts';
import { codecFor } from './codec.ts';

const MiB = 1 << 20;

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isWeftError(e) ? e.code : `not a WeftError: ${String(e)}`;
  }
  return undefined;
}
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

/** Two threads' handles on one arena, and a scratch record to write handles into. */
function pair() {
  const sab = createArenaBuffer(4 * MiB);
  const rec = new DataView(new ArrayBuffer(HANDLE_BYTES));
  return { sender: new ArenaViews(sab), receiver: new ArenaViews(sab), rec };
}

describe('arena views', () => {
  it('alloc gives a view over the arena buffer; zero-filled on reuse unless {zero: false}', () => {
    const { sender: a } = pair();
    const v = a.alloc(Float64Array, 1000);
    expect(v).toBeInstanceOf(Float64Array);
    expect(v.buffer).toBe(a.sab);
    expect(v.length).toBe(1000);
    expect(isArenaView(v)).toBe(true);
    expect(isArenaView(new Float64Array(4))).toBe(false);
    v.fill(7);
    const at = v.byteOffset;
    a.free(v);
    const w = a.alloc(Float64Array, 1000);
    expect(w.byteOffset).toBe(at);
    expect(w.every((x) => x === 0)).toBe(true);
    w.fill(9);
    a.free(w);
    const u = a.alloc(Float64Array, 1000, false);
    expect(u.byteOffset).toBe(at);
    expect(u[0]).toBe(9); // not cleared: what the block held last
    expect(codeOf(() => a.alloc(DataView as never, 4))).toBe('E_USAGE');
    expect(codeOf(() => a.alloc(Uint8Array, -1))).toBe('E_USAGE');
  });

  it('a handle crosses to another thread\'s views without a copy: same bytes, kind and length', () => {
    const { sender, receiver, rec } = pair();
    for (const type of VIEW_TYPES) {
      const v = sender.alloc(type, 33);
      sender.adopt(v);
      sender.writeHandle(v, rec, 0, 'test edge');
      const r = receiver.readHandle(rec, 0);
      expect(r.constructor).toBe(type);
      expect(r.buffer).toBe(v.buffer);
      expect(r.byteOffset).toBe(v.byteOffset);
      expect(r.length).toBe(33);
      receiver.release(r);
    }
    expect(receiver.arena.stats()).toMatchObject({ inUse: 0, liveBlocks: 0 });
  });

  it('ownership of a view: one IP at a time, nothing after it was sent, freed twice is caught', () => {
    const { sender, receiver, rec } = pair();
    const v = sender.alloc(Uint8Array, 100);
    sender.adopt(v);
    expect(messageOf(() => sender.adopt(v))).toMatch(/already in an IP/);
    expect(messageOf(() => sender.free(v))).toMatch(/in an IP; drop the IP/); // ctx.free
    sender.writeHandle(v, rec, 0, 'A.OUT -> B.IN');
    expect(messageOf(() => sender.writeHandle(v, rec, 0, 'A.OUT -> B.IN'))).toMatch(/sent to another worker/);
    expect(messageOf(() => sender.release(v))).toMatch(/sent to another worker/);
    expect(messageOf(() => sender.adopt(v))).toMatch(/sent to another worker/);
    const r = receiver.readHandle(rec, 0);
    receiver.release(r);
    expect(codeOf(() => receiver.release(r))).toBe('E_OWNERSHIP');
    expect(messageOf(() => receiver.release(r))).toMatch(/freed already/);
    // A second view of the same handle (a record read twice) cannot free the reused block.
    const again = receiver.readHandle(rec, 0);
    const reuse = sender.alloc(Uint8Array, 100);
    expect(reuse.byteOffset).toBe(again.byteOffset);
    expect(messageOf(() => receiver.release(again))).toMatch(/handed out again/);
    sender.free(reuse);
    expect(sender.arena.stats()).toMatchObject({ liveBlocks: 0 });
  });

  it('views the runtime did not make are refused: subarrays, views made over the buffer', () => {
    const { sender, rec } = pair();
    const v = sender.alloc(Float64Array, 64);
    const sub = v.subarray(8);
    expect(codeOf(() => sender.adopt(sub))).toBe('E_OWNERSHIP');
    expect(messageOf(() => sender.release(sub))).toMatch(/ctx\.alloc did not make/);
    expect(codeOf(() => sender.writeHandle(new Float64Array(sender.sab, v.byteOffset, 4), rec, 0, 'e'))).toBe('E_OWNERSHIP');
    sender.free(v);
  });

  it('a plain typed array on a shared edge is copied into the arena; other values are E_ENCODE', () => {
    const { sender, receiver, rec } = pair();
    const plain = new Int32Array([1, 2, 3, -4]);
    sender.writeHandle(plain, rec, 0, 'e');
    const r = receiver.readHandle(rec, 0);
    expect(r).toBeInstanceOf(Int32Array);
    expect([...r]).toEqual([1, 2, 3, -4]);
    expect(r.buffer).toBe(receiver.sab);
    receiver.release(r);
    for (const bad of [1, 'x', null, {}, [1, 2], new DataView(new ArrayBuffer(8))]) {
      expect(codeOf(() => sender.writeHandle(bad, rec, 0, 'A.OUT -> B.IN'))).toBe('E_ENCODE');
    }
    expect(messageOf(() => sender.writeHandle('x', rec, 0, 'A.OUT -> B.IN'))).toMatch(/does not fit shared .* on A\.OUT -> B\.IN/);
    expect(sender.arena.stats()).toMatchObject({ liveBlocks: 0 });
  });

  it('the shared codec: fixed 12 bytes, writes and reads handles, release frees; bytes and any refuse arena views', () => {
    const { sender, receiver } = pair();
    const tx = codecFor({ kind: 'shared' }, 'A.OUT -> B.IN', true, sender);
    const rx = codecFor({ kind: 'shared' }, 'A.OUT -> B.IN', true, receiver);
    expect(tx.fixedSize).toBe(12);
    expect(codecFor({ kind: 'shared' }, 'e').fixedSize).toBe(12); // sizing only, no arena
    expect(codeOf(() => codecFor({ kind: 'shared' }, 'e').write(new Uint8Array(1), new DataView(new ArrayBuffer(12)), 0))).toBe('E_INTERNAL');
    const ring = new SharedArrayBuffer(64);
    const dv = new DataView(ring);
    const v = sender.alloc(Float64Array, 10);
    v[3] = 3.5;
    tx.write(v, dv, 16);
    const r = rx.read(dv, new Uint8Array(ring), 16, 12) as Float64Array;
    expect(r[3]).toBe(3.5);
    expect(r.byteOffset).toBe(v.byteOffset);
    rx.release!(r);
    expect(receiver.arena.stats().liveBlocks).toBe(0);
    const w = sender.alloc(Uint8Array, 10);
    expect(messageOf(() => codecFor({ kind: 'bytes' }, 'A.OUT -> B.IN').encode(w))).toMatch(/crosses workers only on port\.shared\(\)/);
    expect(messageOf(() => codecFor({ kind: 'any' }, 'A.OUT -> B.IN').encode({ payload: w }))).toMatch(/view over the shared arena .*\(at value\.payload\) on A\.OUT -> B\.IN/);
    expect(messageOf(() => codecFor({ kind: 'any' }, 'A.OUT -> B.IN').encode(w))).toMatch(/view over the shared arena/);
    sender.free(w);
  });
});
