import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in a child process (tsx, so no build is needed) with only the given
 * environment. `onSpawn` gets the child (its pid, and a way to signal it); `onStderr` sees output as it comes.
 */
export function runCli(args: string[], env: Record<string, string>, onSpawn?: (pid: number) => void, onStderr?: (chunk: string) => void): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/migrate/src/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(String(d));
    });
    onSpawn?.(child.pid!);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** In-process CLI output: what main() wrote to stdout (one entry a call) and to stderr. */
export function io(cwd?: string) {
  const out: string[] = [];
  const err = new PassThrough();
  let errText = '';
  err.on('data', (d) => (errText += d));
  return { io: { stdout: (t: string) => out.push(t), stderr: err as unknown as NodeJS.WriteStream, ...(cwd ? { cwd } : {}) }, out, err: () => errText };
}
