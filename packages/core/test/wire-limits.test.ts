import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { getEventListeners } from 'node:events';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpTransport, InvalidResponseError, TimeoutError, ValidationError, createAdapterTransport, type TransportOptions } from '@contactkit/core';
import { recordingLogger, renderAll } from './helpers';

/**
 * Real servers on 127.0.0.1: the deadline and the size cap are about bytes on a socket, which a
 * mock that hands over a finished body cannot show.
 */
interface Running {
  base: string;
  requests: number;
  close(): Promise<void>;
}

const running: Running[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function listen(server: Server | ReturnType<typeof createNetServer>, sockets: Set<Socket>, state: { requests: number }): Promise<Running> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const handle: Running = {
    base: `http://127.0.0.1:${port}/api`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  running.push(handle);
  return handle;
}

/** An HTTP server answering every request with `handler`. */
async function httpServer(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<Running> {
  const state = { requests: 0 };
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => handler(req, res, ++state.requests));
  return listen(server, sockets, state);
}

/** A raw TCP server: for replies an HTTP server would refuse to produce (headers sent byte by byte). */
async function rawServer(onSocket: (socket: Socket) => void): Promise<Running> {
  const state = { requests: 0 };
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    state.requests++;
    socket.on('error', () => {});
    onSocket(socket);
  });
  return listen(server, sockets, state);
}

/** Writes `text` one byte every `everyMs` until it is out or the socket closes. */
function drip(write: (chunk: string) => boolean | void, text: string, everyMs: number, done?: () => void): void {
  let i = 0;
  const timer = setInterval(() => {
    if (i >= text.length) {
      clearInterval(timer);
      done?.();
      return;
    }
    try {
      write(text[i++]!);
    } catch {
      clearInterval(timer);
    }
  }, everyMs);
}

function transport(base: string, options: Partial<TransportOptions> = {}): HttpTransport {
  return new HttpTransport({ vendor: 'udesk', baseUrl: base, retry: false, random: () => 0.5, ...options });
}

async function timed<T>(p: Promise<T>): Promise<{ value: T | undefined; error: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await p;
    return { value, error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { value: undefined, error, ms: performance.now() - started };
  }
}

describe('timeoutMs is a deadline for the whole response', () => {
  // a body of 20 bytes dripped at 2/s takes 10 s: each byte resets an idle timer, never a deadline
  const BODY = '{"ok":true,"pad":"x"}';

  it('a body dripped one byte every 500 ms fails with TimeoutError at about timeoutMs', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(BODY)) });
      drip((c) => res.write(c), BODY, 500, () => res.end());
    });
    const { error, ms } = await timed(transport(server.base, { timeoutMs: 1200 }).request({ method: 'GET', path: 'slow' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true, vendor: 'udesk' });
    expect((error as Error).message).toContain('1200 ms');
    expect(ms).toBeGreaterThanOrEqual(1100);
    expect(ms).toBeLessThan(2500);
  });

  it('status line and headers dripped one byte every 500 ms: the same deadline', async () => {
    const reply = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
    const server = await rawServer((socket) => {
      socket.once('data', () => drip((c) => socket.write(c), reply, 500, () => socket.end()));
    });
    const { error, ms } = await timed(transport(server.base, { timeoutMs: 1000 }).request({ method: 'GET', path: 'slow' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(2200);
  });

  it('a timed-out GET is still retried, and the retry can succeed', async () => {
    const server = await httpServer((_req, res, n) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (n === 1) drip((c) => res.write(c), BODY, 400, () => res.end());
      else res.end('{"fast":true}');
    });
    const t = transport(server.base, { timeoutMs: 700, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
    const { value, ms } = await timed(t.request({ method: 'GET', path: 'r' }));
    expect(value?.data).toEqual({ fast: true });
    expect(t.stats).toMatchObject({ attempts: 2, retries: 1 });
    expect(ms).toBeLessThan(2500);
  });

  it('a timed-out POST is not retried (it may have reached the server)', async () => {
    const server = await httpServer((req, res) => {
      req.resume();
      res.writeHead(201, { 'Content-Type': 'application/json' });
      drip((c) => res.write(c), BODY, 400, () => res.end());
    });
    const t = transport(server.base, { timeoutMs: 600, retry: { retries: 3, minDelayMs: 1, maxDelayMs: 2 } });
    const { error } = await timed(t.request({ method: 'POST', path: 'agents', body: { a: 1 } }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(server.requests).toBe(1);
    expect(t.stats.attempts).toBe(1);
  });

  it('a caller abort during a drip rejects at once with the caller’s reason, not a TimeoutError', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      drip((c) => res.write(c), BODY, 500, () => res.end());
    });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 300);
    const { error, ms } = await timed(transport(server.base, { timeoutMs: 5000 }).request({ method: 'GET', path: 'r', signal: controller.signal }));
    expect(error).toBe(reason);
    expect(ms).toBeLessThan(1500);
  });

  it('an answer under the deadline leaves neither its timer nor a listener on the caller’s signal behind', async () => {
    const server = await httpServer((_req, res) => res.end('{"n":1}'));
    const setSpy = vi.spyOn(globalThis, 'setTimeout');
    const clearSpy = vi.spyOn(globalThis, 'clearTimeout');
    const controller = new AbortController();
    const t = transport(server.base, { timeoutMs: 54_321 });
    expect((await t.request({ method: 'GET', path: 'r', signal: controller.signal })).data).toEqual({ n: 1 });
    const deadlines = setSpy.mock.calls.flatMap((call, i) => (call[1] === 54_321 ? [setSpy.mock.results[i]!.value] : []));
    expect(deadlines).toHaveLength(1);
    expect(clearSpy.mock.calls.map((c) => c[0])).toContain(deadlines[0]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it.each([0, -1, Number.NaN])('timeoutMs %s is a ValidationError naming timeoutMs', (timeoutMs) => {
    const error = (() => {
      try {
        transport('http://127.0.0.1:1/api', { timeoutMs });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['timeoutMs']);
  });
});

describe('maxResponseBytes caps what is read of a reply', () => {
  const CAP = 64 * 1024;
  /** a JSON body of about `bytes` bytes */
  const bigJson = (bytes: number) => JSON.stringify({ items: 'x'.repeat(bytes) });

  /** Streams `total` bytes in 16 KiB chunks, honouring back-pressure; counts what the socket accepted. */
  function stream(res: ServerResponse, total: number, sent: { bytes: number }): void {
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = () => {
      while (sent.bytes < total) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  }

  it('a body larger than the cap (honest Content-Length) → InvalidResponseError, not retried', async () => {
    const body = bigJson(CAP * 4);
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
      res.end(body);
    });
    const logger = recordingLogger();
    const t = transport(server.base, { maxResponseBytes: CAP, retry: { retries: 3, minDelayMs: 1, maxDelayMs: 2 }, logger });
    const error = await t.request({ method: 'GET', path: 'agents' }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', retryable: false, vendor: 'udesk', request: { method: 'GET', url: `${server.base}/agents` } });
    expect(error.message).toContain('maxResponseBytes');
    expect(error.message).toContain(String(CAP));
    expect(server.requests).toBe(1);
    expect(t.stats).toMatchObject({ attempts: 1, retries: 0, errors: 1 });
  });

  it('a chunked body with no Content-Length is counted as it arrives and cut off: the rest is never read', async () => {
    const sent = { bytes: 0 };
    const total = 64 * 1024 * 1024; // 64 MiB offered; the cap is 64 KiB
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }); // no Content-Length: chunked
      stream(res, total, sent);
    });
    const t = transport(server.base, { maxResponseBytes: CAP });
    const { error, ms } = await timed(t.request({ method: 'GET', path: 'agents' }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(ms).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 100));
    // the connection was dropped: the server got nowhere near sending it all
    expect(sent.bytes).toBeLessThan(total / 4);
  });

  it('a small gzip Content-Length that inflates past the cap (the header lies about the size) → InvalidResponseError', async () => {
    const gz = gzipSync(Buffer.from(bigJson(CAP * 64)));
    expect(gz.length).toBeLessThan(CAP);
    const server = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(gz.length) });
      res.end(gz);
    });
    const error = await transport(server.base, { maxResponseBytes: CAP }).request({ method: 'GET', path: 'agents' }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.retryable).toBe(false);
  });

  it('a body at the cap passes', async () => {
    const body = bigJson(CAP - 100);
    const server = await httpServer((_req, res) => res.end(body));
    const res = await transport(server.base, { maxResponseBytes: Buffer.byteLength(body) }).request<{ items: string }>({ method: 'GET', path: 'agents' });
    expect(res.data.items.length).toBe(CAP - 100);
  });

  it('the default cap is 32 MiB: a 33 MiB reply fails, a 1 MiB reply passes', async () => {
    const server = await httpServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(bigJson(req.url?.endsWith('big') ? 33 * 1024 * 1024 : 1024 * 1024));
    });
    const t = transport(server.base);
    expect(t.maxResponseBytes).toBe(32 * 1024 * 1024);
    await expect(t.request({ method: 'GET', path: 'small' })).resolves.toMatchObject({ status: 200 });
    await expect(t.request({ method: 'GET', path: 'big' })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('the cap error carries no secret of the request', async () => {
    const server = await httpServer((_req, res) => res.end(bigJson(CAP * 2)));
    const t = new HttpTransport({
      vendor: 'kf5',
      baseUrl: server.base,
      retry: false,
      maxResponseBytes: CAP,
      auth: { authenticate: (r) => void ((r.headers.Authorization = 'Bearer sekret-token-123'), (r.query.sign = 'sign-value-456')) },
    });
    const error = await t.request({ method: 'GET', path: 'agents' }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    const shown = renderAll(error) + renderAll(error.cause);
    expect(shown).not.toContain('sekret-token-123');
    expect(shown).not.toContain('sign-value-456');
  });

  it('every adapter gets both limits through createAdapterTransport (the factories pass their options to it)', async () => {
    const server = await httpServer((req, res) => {
      if (req.url?.endsWith('slow')) {
        res.writeHead(200);
        return drip((c) => res.write(c), '{"a":1111111111}', 300, () => res.end());
      }
      res.end(bigJson(CAP * 2));
    });
    const t = createAdapterTransport({
      vendor: 'huawei-aicc',
      options: { baseUrl: server.base, maxResponseBytes: CAP, timeoutMs: 800, retry: false },
      auth: { authenticate() {} },
      secrets: [],
    });
    expect(t).toMatchObject({ maxResponseBytes: CAP, timeoutMs: 800 });
    await expect(t.request({ method: 'GET', path: 'big' })).rejects.toBeInstanceOf(InvalidResponseError);
    const { error, ms } = await timed(t.request({ method: 'GET', path: 'slow' }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(2000);
    // unset, the defaults apply
    const plain = createAdapterTransport({ vendor: 'kf5', options: { baseUrl: server.base }, auth: { authenticate() {} }, secrets: [] });
    expect(plain).toMatchObject({ maxResponseBytes: 32 * 1024 * 1024, timeoutMs: 30_000 });
  });

  it('Infinity turns both limits off (and never arms a timer, which would fire at once)', async () => {
    const server = await httpServer((_req, res) => res.end(bigJson(2 * 1024 * 1024)));
    const setSpy = vi.spyOn(globalThis, 'setTimeout');
    const t = transport(server.base, { timeoutMs: Infinity, maxResponseBytes: Infinity });
    const res = await t.request<{ items: string }>({ method: 'GET', path: 'agents' });
    expect(res.data.items.length).toBe(2 * 1024 * 1024);
    expect(setSpy.mock.calls.filter((c) => c[1] === Infinity)).toEqual([]);
  });

  it.each([0, -5, 1.5, Number.NaN])('maxResponseBytes %s is a ValidationError naming maxResponseBytes', (maxResponseBytes) => {
    let error: unknown;
    try {
      transport('http://127.0.0.1:1/api', { maxResponseBytes });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['maxResponseBytes']);
  });
});
