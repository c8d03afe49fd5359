import { spawn } from 'node:child_process';
import path from 'node:path';
import { stopChild } from './temporal-dev-server';

export interface StandInProcess {
  url: string;
  pid: number | undefined;
  /** What its command line contains, to know it again by its pid (infra/orphans.ts). */
  signature: string[];
  stop(): Promise<void>;
}

/**
 * Starts a stand-in (tax platform or bank) as its own process, as the real system would be, and
 * resolves with its URL once it prints `READY <url>`.
 */
export async function startStandInProcess(kind: 'tax' | 'bank', port: number, log: (line: string) => void = () => {}): Promise<StandInProcess> {
  const entry = path.join(__dirname, '..', 'simulators', 'main.js');
  // It exits by itself when this process is gone (STANDIN_PARENT_PID), even if this one is SIGKILLed.
  const child = spawn(process.execPath, [entry, kind, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STANDIN_PARENT_PID: String(process.pid) },
  });
  child.stderr?.on('data', (d: Buffer) => log(d.toString().trim()));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`the ${kind} stand-in did not start within 20 s`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const ready = /^READY (\S+)$/m.exec(buffered);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${kind} stand-in exited with code ${code} at start (is port ${port} taken?)`));
    });
  });
  return { url, pid: child.pid, signature: [entry, kind, '--port', String(port)], stop: () => stopChild(child) };
}
