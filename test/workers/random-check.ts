/**
 * What the random networks of random-net.ts must print, and the check of what they printed.
 *
 * Every IP a source sends is a *token* with its position q in the source's stream: data IPs
 * {s, q, p}, and (stress/BSource) brackets whose group name is `s/q/p`. The path p starts
 * empty; stress/SplitTag appends its branch ('0', '1'), stress/Tag after the k-th
 * core/LoadBalance of a run appends `~k` and the branch's letter ('a', 'b', 'c'); every other
 * box passes IPs on unchanged (core/Split copies them). Paths parse one way only, so two
 * different routes never print the same path, except copies made by core/Split.
 *
 * Lines come from two kinds of sink: core/Output prints data IPs only, as {s, q, p}; stress/Print
 * prints everything, tagged with its id o, as {o, s, q, p} or {o, k: '(' | ')', g}. A *printed
 * key* is (group, s, p), the group being `O` for core/Output or `P<o>`.
 *
 * What happens to a source's tokens is a tree the generator builds: `print` (a sink, or a
 * core/Output passing IPs on, prints the token under a key), `copy` (SplitTag, core/Split, an
 * Output passing on: every branch gets the token) and `choose` (LoadBalance: exactly one branch
 * does, which one nobody can predict). For each token, the branch a `choose` took is read off
 * the lines (each branch's keys are its own); then the lines must be exactly the prints the
 * tree gives for those choices. So a token lost, duplicated, or sent down two LoadBalance
 * branches is caught. Further checks:
 * - per printed key: its tokens can be cut into at most `leaves` increasing sequences, `leaves`
 *   being the number of streams that bring the key to the sink (order per connection);
 * - per printed key of a stress/Print sink that one stream brings: the brackets nest (a close
 *   matches the innermost open group, a data token arrives inside the group it was sent in,
 *   nothing is left open at the end). LoadBalance moves whole top-level groups, so this holds
 *   on each of its branches.
 * Networks in `exempt` (those a deadlock stopped) are checked for order, duplicates and nesting
 * only: what they printed before they stopped is a prefix of the expected output.
 */
import { tokensOf, type Token } from '../fixtures/components/stress/BSource.ts';

export type Tree = { t: 'print'; group: string; p: string } | { t: 'copy' | 'choose'; kids: Hole[] };
/** Where a key's tree goes, filled in when the generator decides what happens to the key. */
export interface Hole {
  tree?: Tree;
}

export interface SourceInfo {
  net: number;
  /** stress/BSource's SHAPE, null for stress/Source (no brackets). */
  shape: number | null;
  tokens: Token[];
  root: Hole;
}

export interface Expected {
  sources: Map<number, SourceInfo>;
}

export const emptyExpected = (): Expected => ({ sources: new Map() });

export function addSource(exp: Expected, s: number, net: number, shape: number | null, n: number): SourceInfo {
  const info = { net, shape, tokens: tokensOf(shape, n), root: {} };
  exp.sources.set(s, info);
  return info;
}

const keyOf = (group: string, s: number, p: string) => `${group}|${s}|${p}`;

function* leaves(h: Hole): Generator<{ group: string; p: string }> {
  const t = h.tree;
  if (!t) throw new Error('internal: a key whose tree was never filled in');
  if (t.t === 'print') yield t;
  else for (const k of t.kids) yield* leaves(k);
}

/** `group|s|p` → how many streams bring that key to its sink (leaves of the trees). */
export function printedKeys(exp: Expected): Map<string, number> {
  const m = new Map<string, number>();
  for (const [s, info] of exp.sources) {
    for (const l of leaves(info.root)) m.set(keyOf(l.group, s, l.p), (m.get(keyOf(l.group, s, l.p)) ?? 0) + 1);
  }
  return m;
}

/** Prints per token, averaged over LoadBalance choices (for sizing runs). */
export function printsPerToken(h: Hole): number {
  const t = h.tree!;
  if (t.t === 'print') return 1;
  const each = t.kids.map(printsPerToken);
  const sum = each.reduce((a, b) => a + b, 0);
  return t.t === 'copy' ? sum : sum / each.length;
}

interface KeyState {
  leaves: number;
  /** The last token of each increasing sequence (at most `leaves` of them). */
  tops: number[];
  /** Open groups (their token indices), for stress/Print keys. */
  stack: number[];
  counts: Map<number, number>;
}

/**
 * Check printed lines against `exp`. `exempt`: networks whose output may stop short. Returns
 * the problems found (at most `limit`), empty when all is well.
 */
export function checkLines(lines: string[], exp: Expected, exempt: ReadonlySet<number> = new Set(), limit = 10): string[] {
  const problems: string[] = [];
  const keys = new Map<string, KeyState>();
  for (const [k, n] of printedKeys(exp)) keys.set(k, { leaves: n, tops: [], stack: [], counts: new Map() });
  /** `s` → q → printed keys that token arrived under. */
  const seen = new Map<number, Map<number, string[]>>();

  for (let i = 0; i < lines.length && problems.length < limit; i++) {
    const at = `line ${i + 1}`;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(lines[i]);
    } catch {
      problems.push(`${at} is not JSON: ${lines[i].slice(0, 80)}`);
      continue;
    }
    let group = 'O';
    let kind: Token['k'] = 'd';
    let s: unknown = v?.s, q: unknown = v?.q, p: unknown = v?.p;
    if (v !== null && typeof v === 'object' && 'o' in v) {
      group = `P${v.o}`;
      if ('k' in v) {
        const m = typeof v.g === 'string' ? /^(\d+)\/(\d+)\/(.*)$/.exec(v.g) : null;
        if (!m || (v.k !== '(' && v.k !== ')')) {
          problems.push(`${at}: a bracket whose group name is not s/q/p: ${lines[i].slice(0, 80)}`);
          continue;
        }
        kind = v.k;
        [s, q, p] = [Number(m[1]), Number(m[2]), m[3]];
      }
    }
    if (typeof s !== 'number' || typeof q !== 'number' || typeof p !== 'string') {
      problems.push(`${at} is not an {s, q, p} record: ${lines[i].slice(0, 80)}`);
      continue;
    }
    const src = exp.sources.get(s);
    const key = keyOf(group, s, p);
    const st = keys.get(key);
    const what = `${at}: ${group === 'O' ? 'core/Output' : `Print ${group.slice(1)}`} s=${s} p='${p}' q=${q}${kind === 'd' ? '' : ` ${kind}`}`;
    if (!src || !st) {
      problems.push(`${what}: unexpected path`);
      continue;
    }
    if (!Number.isInteger(q) || q < 0 || q >= src.tokens.length || src.tokens[q].k !== kind) {
      problems.push(`${what}: no such token (the stream has ${src.tokens.length}; token ${q} is ${src.tokens[q]?.k ?? 'none'})`);
      continue;
    }
    // Order: join the increasing sequence with the largest last token below q.
    let best = -1;
    for (let j = 0; j < st.tops.length; j++) if (st.tops[j] < q && (best < 0 || st.tops[j] > st.tops[best])) best = j;
    if (best >= 0) st.tops[best] = q;
    else if (st.tops.length < st.leaves) st.tops.push(q);
    else {
      problems.push(`${what}: out of order (after ${st.tops.join(', ')}; ${st.leaves} stream(s) bring this key)`);
      continue;
    }
    const c = (st.counts.get(q) ?? 0) + 1;
    st.counts.set(q, c);
    if (c > st.leaves) problems.push(`${what}: arrived ${c} times (at most ${st.leaves} streams bring it)`);
    let byQ = seen.get(s);
    if (!byQ) seen.set(s, (byQ = new Map()));
    const list = byQ.get(q);
    if (list) list.push(key);
    else byQ.set(q, [key]);
    // Nesting, on stress/Print keys that one stream brings.
    if (group !== 'O' && st.leaves === 1) {
      const t = src.tokens[q];
      const top = st.stack.length > 0 ? st.stack[st.stack.length - 1] : -1;
      if (t.k === '(') st.stack.push(q);
      else if (t.k === ')') {
        if (top !== t.open) problems.push(`${what}: closes group ${t.open}, but the innermost open group is ${top}`);
        else st.stack.pop();
      } else if (top !== t.in) problems.push(`${what}: arrived inside group ${top}, but was sent inside group ${t.in}`);
    }
  }

  for (const [key, st] of keys) {
    if (problems.length >= limit) break;
    const [group, s, p] = key.split('|');
    if (group !== 'O' && st.leaves === 1 && st.stack.length > 0 && !exempt.has(exp.sources.get(Number(s))!.net)) {
      problems.push(`Print ${group.slice(1)} s=${s} p='${p}': groups ${st.stack.join(', ')} never closed`);
    }
  }
  // Every token: exactly the prints its tree gives for the LoadBalance choices it made.
  const cache = new Map<Hole, [string[], string[]]>(); // a subtree's keys: for data, for brackets
  for (const [s, info] of exp.sources) {
    if (exempt.has(info.net)) continue;
    const byQ = seen.get(s) ?? new Map<number, string[]>();
    for (let q = 0; q < info.tokens.length && problems.length < limit; q++) {
      const got = new Map<string, number>();
      for (const k of byQ.get(q) ?? []) got.set(k, (got.get(k) ?? 0) + 1);
      const bracket = info.tokens[q].k !== 'd';
      const want = new Map<string, number>();
      const visible = (k: Hole) => {
        let v = cache.get(k);
        if (!v) {
          const ls = [...leaves(k)];
          v = [ls.map((l) => keyOf(l.group, s, l.p)), ls.filter((l) => l.group !== 'O').map((l) => keyOf(l.group, s, l.p))];
          cache.set(k, v);
        }
        return v[bracket ? 1 : 0];
      };
      const mayHide = (h: Hole): boolean => {
        const t = h.tree!;
        if (t.t === 'print') return bracket && t.group === 'O';
        return t.t === 'copy' ? t.kids.every(mayHide) : t.kids.some(mayHide);
      };
      const walk = (h: Hole): void => {
        const t = h.tree!;
        if (t.t === 'print') {
          if (!(bracket && t.group === 'O')) want.set(keyOf(t.group, s, t.p), (want.get(keyOf(t.group, s, t.p)) ?? 0) + 1);
        } else if (t.t === 'copy') t.kids.forEach(walk);
        else {
          const taken = t.kids.filter((k) => visible(k).some((x) => got.has(x)));
          if (taken.length > 1) problems.push(`s=${s} q=${q}: went down ${taken.length} branches of one core/LoadBalance`);
          // None seen: lost, unless a branch may print nothing of this token (a bracket that
          // went where only core/Output prints).
          walk(taken[0] ?? t.kids.find(mayHide) ?? t.kids[0]);
        }
      };
      walk(info.root);
      for (const k of new Set([...want.keys(), ...got.keys()])) {
        const w = want.get(k) ?? 0, g = got.get(k) ?? 0;
        if (w === g) continue;
        const [group, , p] = k.split('|');
        const where = `${group === 'O' ? 'core/Output' : `Print ${group.slice(1)}`} s=${s} p='${p}' q=${q}${bracket ? ` ${info.tokens[q].k}` : ''}`;
        problems.push(`${where}: arrived ${g} times, expected ${w}${g < w ? ' (lost)' : ''}`);
        if (problems.length >= limit) break;
      }
    }
  }
  return problems;
}
