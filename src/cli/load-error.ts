/** Load-time errors (bad graph, missing file, broken component module) → stderr + exit 2. */
import { GraphError, SubnetError, isWeftError } from '../index.ts';
import { formatDiagnostics } from './report.ts';

export const EXIT_USAGE = 2;

/** Print a load-time error and return the exit code; rethrows what is not one. */
export function reportLoadError(e: unknown): number {
  if (e instanceof GraphError) {
    process.stderr.write(formatDiagnostics(e.diagnostics, e.file) + '\n');
    process.stderr.write(`weft: ${e.file ?? 'graph'} is not valid (${e.diagnostics.length} problem${e.diagnostics.length === 1 ? '' : 's'})\n`);
    return EXIT_USAGE;
  }
  if (e instanceof SubnetError) {
    process.stderr.write(formatDiagnostics(e.diagnostics, e.file) + '\n');
    process.stderr.write(`weft: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (isWeftError(e) && e.code !== 'E_INTERNAL') {
    process.stderr.write(`weft: ${e.message}\n`);
    return EXIT_USAGE;
  }
  throw e;
}

