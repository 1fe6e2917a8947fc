/**
 * `weft run`: load, run, report.
 *
 * While it runs:
 * - on a terminal, after the first second, a status line on stderr (elapsed, IPs moved,
 *   boxes active/blocked/done), redrawn four times a second and erased at the end;
 * - SIGINT/SIGTERM stop the network (stopped loopers finish their finally blocks, so files
 *   written by core/WriteLines end on a whole line) and the stats are still printed; a second
 *   signal exits at once;
 * - a closed stdout (EPIPE, as in `weft run g.fbp | head`) stops the network quietly, like a
 *   shell pipeline under SIGPIPE, with exit code 0;
 * - if the process runs out of work before the network ends, some looper awaits a promise
 *   nothing can settle: the network reports a stall (exit 3), never a silent exit.
 */
import { createNetwork, createRegistry, defaultWorkers, explainPlacement, MultiNetwork, type RunnableNetwork, type RunResult } from '../index.ts';
import { reportLoadError } from './load-error.ts';
import { formatResult, formatStats, statusLine } from './report.ts';

export interface RunFlags {
  capacity?: number;
  stats?: boolean;
  components: string[];
  unchecked?: boolean;
  budget?: number;
  workers?: number;
  explain?: boolean;
  watchdog?: number;
  /** Shared arena size, MiB. */
  arena?: number;
  /** Heap limit of each worker, MiB. */
  workerHeap?: number;
  pin?: boolean;
}

const STATUS_AFTER_MS = 1000;
const STATUS_EVERY_MS = 250;

export async function runCommand(graph: string, flags: RunFlags): Promise<number> {
  let net: RunnableNetwork;
  try {
    net = await createNetwork(graph, {
      registry: createRegistry(flags.components),
      capacity: flags.capacity,
      checked: !flags.unchecked,
      timing: !!flags.stats,
      budget: flags.budget,
      workers: flags.workers ?? defaultWorkers(),
      watchdogMs: flags.watchdog,
      pin: flags.pin,
      arenaBytes: flags.arena === undefined ? undefined : flags.arena * 2 ** 20,
      workerHeapMiB: flags.workerHeap,
    });
  } catch (e) {
    return reportLoadError(e);
  }
  if (flags.explain) {
    process.stdout.write(explain(net, flags.workers ?? defaultWorkers()));
    return 0;
  }

  const started = performance.now();
  let signalled: NodeJS.Signals | null = null;
  let pipeClosed = false;

  const status = process.stderr.isTTY ? startStatus(net, started) : null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) process.exit(sig === 'SIGTERM' ? 143 : 130);
    signalled = sig;
    net.stop(`${sig}`);
  };
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      pipeClosed = true;
      net.stop('stdout closed');
    } else {
      net.stop(`stdout error: ${e.message}`);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onStdoutError);

  let result: RunResult;
  try {
    result = await net.run();
  } finally {
    status?.stop();
  }

  if (pipeClosed && result.status === 'interrupted') return 0;
  const message = formatResult(result);
  if (message) process.stderr.write(message + '\n');
  if (flags.stats || result.status === 'interrupted') process.stderr.write(formatStats(result.stats) + '\n');
  const code = result.status === 'interrupted' && signalled === 'SIGTERM' ? 143 : result.exitCode;
  if (result.status !== 'finished') {
    // Stopped boxes had their grace period; do not let a box that ignores the stop hold the
    // process open. Unref'd: a process that is done anyway exits at once.
    setTimeout(() => process.exit(code), 500).unref();
  }
  return code;
}

function startStatus(net: RunnableNetwork, started: number) {
  let shown = false;
  const draw = () => {
    const elapsed = performance.now() - started;
    if (elapsed < STATUS_AFTER_MS) return;
    shown = true;
    process.stderr.write('\r\x1b[K' + statusLine(elapsed, net.activity()));
  };
  const timer = setInterval(draw, STATUS_EVERY_MS);
  timer.unref();
  const clear = () => {
    if (shown) process.stderr.write('\r\x1b[K');
    shown = false;
  };
  return {
    clear,
    stop() {
      clearInterval(timer);
      clear();
    },
  };
}

/** `--explain`: the placement of a network on its workers, as text. */
function explain(net: RunnableNetwork, workers: number): string {
  if (net instanceof MultiNetwork) return explainPlacement(net.graph, net.placement).replace(/\n?$/, '\n');
  return `1 worker: every box runs on the main thread (${workers} asked)\n`;
}
