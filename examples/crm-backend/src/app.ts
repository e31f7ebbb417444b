import express, { type ErrorRequestHandler, type Express } from 'express';
import { ValidationError, type Agent, type ContactCenterClient } from '@contactkit/core';
import { toHttpAnswer } from './http-errors';

export interface AppOptions {
  /** where failures are logged with their detail (redacted by ContactKit); default console.error */
  log?: (message: string, error: unknown) => void;
}

/** The public shape of an agent: the normalized model without the vendor's raw object. */
function present(agent: Agent): Omit<Agent, 'remoteData'> {
  const { remoteData: _raw, ...rest } = agent;
  return rest;
}

function intParam(value: unknown, name: string, def: number, min: number, max: number): number {
  if (value === undefined) return def;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min || n > max) {
    throw new ValidationError([{ path: name, message: `must be a whole number from ${min} to ${max}` }]);
  }
  return n;
}

export function createApp(client: ContactCenterClient, options: AppOptions = {}): Express {
  const log = options.log ?? ((message, error) => console.error(message, error));
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '100kb' }));

  app.get('/health', (_req, res) => {
    res.json({ ok: true, vendor: client.vendor });
  });

  // GET /agents?limit=20&page=1[&includeDisabled=true]
  app.get('/agents', async (req, res) => {
    const limit = intParam(req.query.limit, 'limit', 20, 1, 100);
    const page = intParam(req.query.page, 'page', 1, 1, 10_000);
    const includeDisabled = req.query.includeDisabled === 'true';
    // the adapter walks the vendor's own paging lazily; we skip to our page and read one past it
    const skip = (page - 1) * limit;
    const items: Agent[] = [];
    let seen = 0;
    let hasMore = false;
    for await (const agent of client.agents.list({ pageSize: Math.min(100, limit), includeDisabled, signal: abortOnClose(req, res) })) {
      if (seen++ < skip) continue;
      if (items.length === limit) {
        hasMore = true;
        break;
      }
      items.push(agent);
    }
    res.json({ vendor: client.vendor, page, limit, hasMore, items: items.map(present) });
  });

  app.get('/agents/:id', async (req, res) => {
    res.json(present(await client.agents.get(req.params.id, { signal: abortOnClose(req, res) })));
  });

  // POST /agents { email, name, password?, phone?, channels?, roleIds?, groupIds?, ... } (the AgentInput model)
  app.post('/agents', async (req, res) => {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw new ValidationError([{ path: '(body)', message: 'send a JSON object' }]);
    }
    // the adapter validates the input (zod) before anything is sent: a bad field is a ValidationError
    const agent = await client.agents.create(req.body, { signal: abortOnClose(req, res) });
    res.status(201).location(`/agents/${encodeURIComponent(agent.id)}`).json(present(agent));
  });

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such route' } });
  });

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    // express.json() rejects a malformed body with a 400 SyntaxError of its own
    const bad = error as { type?: string; status?: number };
    const answer =
      bad?.type === 'entity.parse.failed'
        ? toHttpAnswer(new ValidationError([{ path: '(body)', message: 'not valid JSON' }]))
        : bad?.type === 'entity.too.large'
          ? { status: 413, headers: {}, body: { error: { code: 'TOO_LARGE', message: 'body too large' } } }
          : toHttpAnswer(error);
    if (answer.status >= 500) log(`${req.method} ${req.path} failed`, error);
    res.status(answer.status).set(answer.headers).json(answer.body);
  };
  app.use(onError);
  return app;
}

/** Aborts the vendor calls of a request whose caller went away. */
function abortOnClose(req: express.Request, res: express.Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error(`${req.method} ${req.path}: client went away`));
  });
  return controller.signal;
}
