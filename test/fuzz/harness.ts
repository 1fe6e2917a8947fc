/**
 * The loader fuzzer's oracle: load one input the way `weft check` does and sort the outcome.
 *
 *   ok    the graph parsed, validated, flattened and built into a network
 *   diag  a GraphError / SubnetError whose every diagnostic is well formed: a code, a
 *         non-empty message, and a position (line >= 1 and col >= 1 inside the text, or a
 *         JSON path), naming the file that was loaded
 *   bug   anything else: another exception (TypeError, RangeError, a WeftError without
 *         diagnostics, ...), a diagnostic without a usable position, a parser "internal
 *         error", or a case that ran longer than the time bound
 *
 * The registry is shared by all cases (loading is cached): the built-in components plus
 * test/fuzz/components (a component with a port of every type, a shared port, subnets).
 */
import { fileURLToPath } from 'node:url';
import { createRegistry, GraphError, MIN_ARENA_BYTES, parseGraph, SubnetError, type Diagnostic, type Registry } from '../../src/index.ts';
import { createNetwork } from '../../src/network/run.ts';
import { LineIndex } from '../../src/graph/text.ts';

export const COMPONENTS_DIR = fileURLToPath(new URL('./components', import.meta.url));

/** A case slower than this is reported as a hang. */
export const CASE_TIME_LIMIT_MS = 2000;

export type Outcome =
  | { kind: 'ok' }
  | { kind: 'diag'; diagnostics: Diagnostic[] }
  | { kind: 'bug'; bugClass: string; detail: string };

let shared: Registry | undefined;
export function fuzzRegistry(): Registry {
  shared ??= createRegistry([COMPONENTS_DIR]);
  return shared;
}

/** Load `text` as if read from `file` (its extension picks the format); never throws. */
export async function loadCase(text: string, file: string | undefined): Promise<Outcome> {
  const started = performance.now();
  const outcome = await classify(text, file);
  const ms = performance.now() - started;
  if (ms > CASE_TIME_LIMIT_MS) return { kind: 'bug', bugClass: 'hang', detail: `took ${ms.toFixed(0)} ms` };
  return outcome;
}

async function classify(text: string, file: string | undefined): Promise<Outcome> {
  try {
    const parsed = parseGraph(text, file);
    if (parsed.diagnostics.length > 0) throw new GraphError(parsed.diagnostics, file);
    await createNetwork(parsed.graph, fuzzRegistry(), { arenaBytes: MIN_ARENA_BYTES });
    return { kind: 'ok' };
  } catch (e) {
    if (e instanceof GraphError || e instanceof SubnetError) {
      if (e.diagnostics.length === 0) return bug('no-diagnostics', `${e.name} without diagnostics: ${e.message}`);
      const own = e instanceof GraphError;
      const lines = own ? new LineIndex(text) : undefined;
      const lastLine = lines ? lines.at(text.length).line : Infinity;
      for (const d of e.diagnostics) {
        const problem = diagnosticProblem(d, own ? file : e.file, lastLine);
        if (problem) return bug(`diagnostic-${problem}:${d.code}`, JSON.stringify(d));
      }
      return { kind: 'diag', diagnostics: e.diagnostics };
    }
    return bug(errorClass(e), e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
}

function bug(bugClass: string, detail: string): Outcome {
  return { kind: 'bug', bugClass, detail };
}

/** What is wrong with a diagnostic, or undefined when it is well formed. */
function diagnosticProblem(d: Diagnostic, file: string | undefined, lastLine: number): string | undefined {
  if (typeof d.code !== 'string' || !d.code.startsWith('E_')) return 'code';
  if (typeof d.message !== 'string' || d.message.trim() === '') return 'message';
  if (/internal error/i.test(d.message)) return 'internal-error';
  const s = d.span;
  if (!s) return 'no-span';
  if (file !== undefined && s.file !== file) return 'wrong-file';
  if (s.path !== undefined) return typeof s.path === 'string' ? undefined : 'path';
  if (!Number.isInteger(s.line) || !Number.isInteger(s.col) || s.line < 1 || s.col < 1) return 'no-position';
  if (s.line > lastLine) return 'line-past-end';
  return undefined;
}

/** A stable name for an exception: its class, message shape and the first frame in our code. */
function errorClass(e: unknown): string {
  if (!(e instanceof Error)) return `thrown-${typeof e}`;
  const shape = e.message
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, 'Q')
    .replace(/\d+/g, 'N')
    .slice(0, 80);
  const frame = (e.stack ?? '')
    .split('\n')
    .find((l) => /\/(src|components)\//.test(l))
    ?.replace(/^.*\/((src|components)\/[^:)]+):(\d+).*$/, '$1:$3');
  return `${e.name}: ${shape}${frame ? ` @ ${frame}` : ''}`;
}

/**
 * Shrink an input that shows `bugClass` to a smaller one showing the same class: drop runs of
 * lines, then runs of characters, while the class stays. Bounded, so it always ends.
 */
export async function shrink(text: string, file: string | undefined, bugClass: string, budget = 2000): Promise<string> {
  let best = text;
  let tries = 0;
  const same = async (candidate: string): Promise<boolean> => {
    tries++;
    const o = await classify(candidate, file);
    return o.kind === 'bug' && o.bugClass === bugClass;
  };
  for (const unit of ['line', 'char'] as const) {
    const split = (s: string) => (unit === 'line' ? s.split(/(?<=\n)/) : [...s]);
    for (let chunk = Math.max(1, split(best).length >> 1); chunk >= 1 && tries < budget; chunk >>= 1) {
      for (let i = 0; tries < budget; ) {
        const parts = split(best);
        if (i >= parts.length) break;
        const candidate = [...parts.slice(0, i), ...parts.slice(i + chunk)].join('');
        if (candidate !== best && (await same(candidate))) best = candidate;
        else i += chunk;
      }
    }
  }
  return best;
}
