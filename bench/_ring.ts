/**
 * The ring floor: what any design that passes IPs through bounded queues can hope for here.
 * 10 pass-through stages joined by 11 rings of capacity 10 (arrays of 16 slots), a source
 * filling the first ring with fresh `{n: i}` objects and a sink summing the last, driven by a
 * loop that visits every stage in turn and moves what it can. No box states, no wake-ups, no
 * ownership, no statistics: the cost of the queues alone, for scale next to weft's rows.
 */
const CAP = 10;

class Ring {
  private b: ({ n: number } | undefined)[] = new Array(16);
  h = 0;
  t = 0;
  offer(x: { n: number }): boolean {
    if (this.t - this.h >= CAP) return false;
    this.b[this.t++ & 15] = x;
    return true;
  }
  take(): { n: number } | undefined {
    if (this.h === this.t) return undefined;
    const i = this.h++ & 15;
    const x = this.b[i];
    this.b[i] = undefined;
    return x;
  }
}

/** IPs/s through `hops` ring stages for `n` IPs; throws if the checksum is wrong. */
export function ringRun(hops: number) {
  return (n: number): number => {
    const rings = Array.from({ length: hops + 1 }, () => new Ring());
    const stages = rings.slice(1).map((out) => (ip: { n: number }) => out.offer(ip));
    let sum = 0;
    let i = 0;
    let got = 0;
    let expect = 0;
    for (let k = 0; k < n; k++) expect = (expect + k) | 0;
    const t0 = performance.now();
    while (got < n) {
      const first = rings[0];
      while (i < n && first.offer({ n: i })) i++;
      for (let h = 0; h < hops; h++) {
        const inRing = rings[h];
        const outRing = rings[h + 1];
        const stage = stages[h];
        while (outRing.t - outRing.h < CAP) {
          const ip = inRing.take();
          if (ip === undefined) break;
          stage(ip);
        }
      }
      const last = rings[hops];
      for (let ip = last.take(); ip !== undefined; ip = last.take()) {
        sum = (sum + ip.n) | 0;
        got++;
      }
    }
    const dt = performance.now() - t0;
    if (sum !== expect) throw new Error('ring floor: bad checksum');
    return n / (dt / 1000);
  };
}
