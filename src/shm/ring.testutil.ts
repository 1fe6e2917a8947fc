/**
 * Test helper for ring.ts: writes and reads numbered records of seeded lengths, so that one
 * side can run on another thread. Each record's payload is its sequence number (u32) followed
 * by bytes derived from it; the reader checks both (sequence and canary).
 */
import { rng } from '../../test/helpers/rng.ts';
import { RingReader, RingWriter, K_DATA, LEN_SHIFT, type RingInit } from './ring.ts';

export function lengthOf(seed: number, i: number, maxLen: number): number {
  const r = rng(seed * 1000003 + i);
  return 4 + Math.floor(r() * (maxLen - 3));
}

const canary = (seq: number, k: number) => (seq * 31 + k * 7) & 0xff;

/** Try to write record `seq` (and publish it unless `publish` is false); false when there is no room (count or bytes). */
export function writeRecord(w: RingWriter, seq: number, len: number, publish = true): boolean {
  if (!w.hasIpRoom()) return false;
  const off = w.reserve(len);
  if (off < 0) return false;
  w.view.setUint32(off, seq, true);
  for (let k = 4; k < len; k++) w.bytes[off + k] = canary(seq, k);
  w.commit(K_DATA, 0, len, true);
  if (publish) w.publish();
  return true;
}

/** Read one record and check it is `seq` with length `len` (give its room back unless `publish` is false); false when empty. */
export function readRecord(r: RingReader, seq: number, len: number, publish = true): boolean {
  if (!r.hasRecord()) return false;
  const h = r.peekHeader();
  const off = r.payloadOffset;
  const got = h >>> LEN_SHIFT;
  if ((h & 3) !== K_DATA) throw new Error(`record ${seq}: kind ${h & 3}`);
  if (got !== len) throw new Error(`record ${seq}: length ${got}, expected ${len}`);
  const s = r.view.getUint32(off, true);
  if (s !== seq) throw new Error(`record ${seq}: got sequence ${s}`);
  for (let k = 4; k < len; k++) if (r.bytes[off + k] !== canary(seq, k)) throw new Error(`record ${seq}: canary broken at byte ${k}`);
  r.consume(len, true);
  if (publish) r.publishHead();
  return true;
}

export { RingReader, RingWriter, type RingInit };
