/**
 * Thread affinity (`--pin`): pin the calling worker thread to one core, on Linux.
 *
 * The thread learns its kernel thread id from /proc/thread-self and asks `taskset` (util-linux,
 * present on any Debian or Ubuntu system) to set that thread's affinity. No native code is
 * built. Anywhere this cannot work (another OS, no /proc, no taskset, a core the process may
 * not use) the answer is a sentence saying why, and the run goes on unpinned.
 *
 * Pinning is a placement hint to the kernel, not a correctness matter: nothing else in the
 * runtime depends on it.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/** Pin this thread to `core`. Returns null when pinned, else why not. */
export function pinThisThread(core: number): string | null {
  if (process.platform !== 'linux') return `pinning needs Linux (this is ${process.platform})`;
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return 'cannot read /proc/thread-self';
  }
  if (!Number.isInteger(tid) || tid <= 0) return 'cannot find this thread id';
  try {
    execFileSync('taskset', ['-p', '-c', String(core), String(tid)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 });
    return null;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') return 'taskset (util-linux) is not installed';
    const why = err.stderr?.toString().trim().split('\n').pop();
    return `taskset failed${why ? `: ${why}` : ''}`;
  }
}

/** The core of worker `w` out of `cores`: worker K on core K, wrapping around. */
export const coreOf = (w: number, cores: number): number => w % Math.max(1, cores);
