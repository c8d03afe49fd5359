import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What `npm start` leaves when it is killed outright (SIGKILL, the out-of-memory killer): the
 * servers it started keep running and hold their ports. Each server it starts is recorded in a pid
 * file under DATA_DIR/run; the next start stops a recorded server that still runs — after checking
 * by its command line that the pid still belongs to it — before starting its own.
 */
export interface ChildRecord {
  pid: number;
  kind: string;
  signature: string[];
}

const runDir = (dataDir: string) => path.join(dataDir, 'run');
const pidFile = (dataDir: string, kind: string) => path.join(runDir(dataDir), `${kind}.json`);

export function recordChild(dataDir: string, kind: string, pid: number | undefined, signature: string[]): void {
  if (!pid) return;
  fs.mkdirSync(runDir(dataDir), { recursive: true });
  fs.writeFileSync(pidFile(dataDir, kind), JSON.stringify({ pid, kind, signature } satisfies ChildRecord));
}

export function forgetChild(dataDir: string, kind: string): void {
  fs.rmSync(pidFile(dataDir, kind), { force: true });
}

/** The command line of a live process, or null when it is gone (or cannot be read). */
export function commandLineOf(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim() || null;
    } catch {
      return null;
    }
  }
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the process a pid file names if it still runs and its command line still contains every
 * part of its signature (so a pid reused by an unrelated process is never touched). SIGTERM (or the
 * given signal), then SIGKILL after `graceMs`. Returns the pid it stopped, or null.
 */
export async function stopOrphan(
  dataDir: string,
  kind: string,
  opts: { signal?: NodeJS.Signals; graceMs?: number; log?: (m: string) => void } = {},
): Promise<number | null> {
  let record: ChildRecord;
  try {
    record = JSON.parse(fs.readFileSync(pidFile(dataDir, kind), 'utf8')) as ChildRecord;
  } catch {
    return null;
  }
  const stopped = (await stopIfItIs(record.pid, record.signature, opts)) ? record.pid : null;
  if (stopped !== null) opts.log?.(`stopped the ${kind} (pid ${record.pid}) an earlier npm start left running`);
  forgetChild(dataDir, kind);
  return stopped;
}

/** Stops `pid` if it runs with a command line containing every part of `signature`. */
export async function stopIfItIs(pid: number, signature: string[], opts: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<boolean> {
  const cmd = commandLineOf(pid);
  if (cmd === null || !isAlive(pid) || !signature.every((part) => cmd.includes(part))) return false;
  try {
    process.kill(pid, opts.signal ?? 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + (opts.graceMs ?? 15_000);
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * For a server started as a child: exits this process when its parent is gone (re-parented), so a
 * stand-in never outlives the `npm start` that started it. Checked once a second, unref'd.
 */
export function exitWithParent(parentPid: number, onGone: () => void): void {
  const timer = setInterval(() => {
    if (process.ppid !== parentPid || !isAlive(parentPid)) {
      clearInterval(timer);
      onGone();
    }
  }, 1_000);
  timer.unref();
}
