/**
 * The `weft` command. A contract that tests and users rely on:
 *
 *   weft run GRAPH [--workers N] [--explain] [--capacity N] [--stats] [--components DIR]...
 *                  [--unchecked] [--budget N] [--watchdog MS] [--arena MIB] [--worker-heap MIB] [--pin]
 *   weft check GRAPH [--components DIR]...
 *   weft components [--components DIR]... [--json]
 *   weft convert GRAPH --to json|fbp|dot
 *
 * stdout belongs to the network (core/Output) or to the command's result (convert,
 * components); every diagnostic goes to stderr. Exit codes: 0 finished, 1 a box failed,
 * 2 bad usage or invalid graph, 3 deadlock or stall, 130 interrupted (SIGINT), 143 SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { createRegistry, DEFAULT_ARENA_BYTES, defaultWorkers, GraphError, MAX_ARENA_BYTES, MAX_EDGE_CAPACITY, MAX_WORKER_HEAP_MIB, MAX_WORKERS, MIN_WORKER_HEAP_MIB, parseGraph, printDot, printFbp, readGraphFile, toJson } from '../index.ts';
import { EXIT_USAGE, reportLoadError } from './load-error.ts';
import { runCommand } from './run-command.ts';

function intIn(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}, got '${v}'`);
    }
    return n;
  };
}
const positiveInt = (name: string, max = Number.MAX_SAFE_INTEGER) => intIn(name, 1, max);
const collect = (v: string, prev: string[]) => [...prev, v];

function packageVersion(): string {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

// For bin/weft.mjs: the bundled CLI registers tsx through its own registry, and components get
// weft's public API from the bundle (bundle/cache.mjs, registerForComponents).
export * from '../index.ts';

export function buildProgram(): Command {
  const program = new Command('weft')
    .description('Run flow-based programs: boxes joined by bounded connections')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run weft --help for usage)');

  program
    .command('run')
    .description('run a network until it ends')
    .argument('<graph>', '.fbp or .json graph file')
    .option('--capacity <n>', 'default connection capacity', positiveInt('--capacity', MAX_EDGE_CAPACITY))
    .option('--stats', 'print statistics to stderr at the end (and time spent per box)')
    .option('--components <dir>', 'extra components directory (repeatable)', collect, [])
    .option('--unchecked', 'turn IP ownership checks off (faster)')
    .option('--budget <n>', 'port operations per activation', positiveInt('--budget'))
    .option('--workers <n>', `worker threads (default: one per core, ${defaultWorkers()} here)`, positiveInt('--workers', MAX_WORKERS))
    .option('--explain', 'print which worker runs each box, and why, instead of running')
    .option('--watchdog <ms>', 'with several workers: report a box that runs this long without a port operation (default 1000)', positiveInt('--watchdog'))
    .option('--pin', 'with several workers, on Linux: pin worker K to core K (a warning says why when it cannot)')
    .option('--arena <mib>', `size of the shared arena for port.shared() payloads, MiB (default ${DEFAULT_ARENA_BYTES / 2 ** 20})`, positiveInt('--arena', MAX_ARENA_BYTES / 2 ** 20))
    .option('--worker-heap <mib>', 'with several workers: heap limit of each worker, MiB (a worker past it is reported as out of memory)', intIn('--worker-heap', MIN_WORKER_HEAP_MIB, MAX_WORKER_HEAP_MIB))
    .action(async (graph: string, opts) => {
      process.exitCode = await runCommand(graph, opts);
    });

  program
    .command('check')
    .description('validate a graph without running it')
    .argument('<graph>', '.fbp or .json graph file')
    .option('--components <dir>', 'extra components directory (repeatable)', collect, [])
    .action(async (graph: string, opts) => {
      try {
        const { createNetwork } = await import('../index.ts');
        await createNetwork(graph, { registry: createRegistry(opts.components) });
        process.stderr.write(`weft: ${graph} is valid\n`);
        process.exitCode = 0;
      } catch (e) {
        process.exitCode = reportLoadError(e);
      }
    });

  program
    .command('components')
    .description('list the components and their ports')
    .option('--components <dir>', 'extra components directory (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action(async (opts) => {
      try {
        const { listComponents } = await import('./components-command.ts');
        process.stdout.write(await listComponents(createRegistry(opts.components), !!opts.json));
      } catch (e) {
        process.exitCode = reportLoadError(e);
      }
    });

  program
    .command('convert')
    .description('print a graph as JSON, .fbp or Graphviz dot')
    .argument('<graph>', '.fbp or .json graph file')
    .requiredOption('--to <format>', 'json, fbp or dot')
    .action(async (graph: string, opts) => {
      const to = String(opts.to);
      if (!['json', 'fbp', 'dot'].includes(to)) {
        process.stderr.write(`weft: --to must be json, fbp or dot, got '${to}'\n`);
        process.exitCode = EXIT_USAGE;
        return;
      }
      try {
        const parsed = parseGraph(await readGraphFile(graph), graph);
        if (parsed.diagnostics.length > 0) throw new GraphError(parsed.diagnostics, graph);
        const g = parsed.graph;
        process.stdout.write(to === 'json' ? JSON.stringify(toJson(g), null, 2) + '\n' : to === 'fbp' ? printFbp(g) : printDot(g));
      } catch (e) {
        process.exitCode = reportLoadError(e);
      }
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length <= 2) {
    process.stderr.write(program.helpInformation());
    process.exitCode = EXIT_USAGE;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      process.exitCode = ok ? 0 : EXIT_USAGE;
      return;
    }
    throw e;
  }
}

