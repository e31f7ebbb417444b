import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** Why the real-Redis tests cannot run here, or undefined when redis-server is installed. */
export function redisMissing(): string | undefined {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) return 'redis-server is not installed (apt-get install -y redis-server)';
  return undefined;
}

/** In CI a missing redis-server fails the run; elsewhere the tests are skipped with the reason. */
export const SKIP_REASON = redisMissing();
if (SKIP_REASON && process.env.CI) throw new Error(`${SKIP_REASON}: CI must install it`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** every key and value in the database, for scans */
  dump(): Promise<Array<{ key: string; value: string }>>;
  stop(): Promise<void>;
  /** starts it again on the same port (empty: nothing is saved) */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A throwaway redis-server on 127.0.0.1 and a random port: no persistence, in a temp dir. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'contactkit-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;

  async function start(): Promise<void> {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    // ready when it answers PING (a few ms; give up after 10 s)
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline || proc?.exitCode != null) throw new Error(`redis-server did not start on port ${port}`, { cause: error });
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  async function stop(): Promise<void> {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  await start();
  return {
    port,
    url,
    start,
    stop,
    async dump() {
      const r = new Redis(url);
      try {
        const keys = await r.keys('*');
        const out: Array<{ key: string; value: string }> = [];
        for (const key of keys) {
          const type = await r.type(key);
          const value =
            type === 'string' ? await r.get(key) : type === 'zset' ? (await r.zrange(key, 0, -1)).join(' ') : type === 'hash' ? JSON.stringify(await r.hgetall(key)) : type === 'list' ? (await r.lrange(key, 0, -1)).join(' ') : type === 'set' ? (await r.smembers(key)).join(' ') : `(${type})`;
          out.push({ key, value: value ?? '' });
        }
        return out;
      } finally {
        r.disconnect();
      }
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
