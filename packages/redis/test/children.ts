import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildCommand, ChildInit, ChildReply } from './fixtures/child';

const CHILD = fileURLToPath(new URL('./fixtures/child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Replica {
  readonly process: ChildProcess;
  ask(command: ChildCommand): Promise<ChildReply>;
}

/** Starts `n` replica processes (tsx runs the TypeScript sources) and waits until each is ready. */
export async function startReplicas(n: number, init: ChildInit): Promise<Replica[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const child = fork(CHILD, [], { cwd: ROOT, env: { ...process.env, CONTACTKIT_TEST_REPLICA: JSON.stringify(init) }, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`replica exited with ${code} before it was ready`)));
      });
      return {
        process: child,
        ask(command: ChildCommand) {
          return new Promise<ChildReply>((resolve, reject) => {
            child.once('message', (reply) => resolve(reply as ChildReply));
            child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
            child.send(command);
          });
        },
      };
    }),
  );
}

export function stopReplicas(replicas: Replica[]): void {
  for (const r of replicas) if (r.process.connected) r.process.disconnect();
}
