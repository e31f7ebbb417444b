import {
  CONTROL_PREFIX,
  isRecord,
  validateMaxConcurrent,
  validateRateLimit,
  type ControlRequest,
  type FaultController,
  type FaultOptions,
  type RateLimitOptions,
  type SimReply,
  type SimServer,
  type SimulatorStats,
} from './server';
import { generateTenant, type GenerateTenantOptions, type SeedTenant } from './tenant';

/** What a vendor module gives the control endpoint, so `/__control/*` stays vendor-neutral. */
export interface ControlTarget {
  /** Adds a tenant to the store; returns seed key → vendor id (`SeedResult`). Throws on conflict. */
  seed(tenant: SeedTenant): unknown;
  /** Empties the store. */
  reset(): void;
  /** `counts` plus the vendor's listing (agents, groups, …) as plain JSON. */
  snapshot(): { counts: Record<string, number> } & Record<string, unknown>;
}

/** Where the control endpoint listens and the bearer token it takes. */
export interface ControlEndpoint {
  /** `http://127.0.0.1:PORT/__control` */
  readonly url: string;
  /** `Authorization: Bearer <token>` (the `controlToken` option, or random per simulator). */
  readonly token: string;
}

/** What every simulator handle has; the vendor's `XxxSimulator` extends it with its extras. */
export interface SimulatorHandle<S, C> {
  /** The vendor's API root, e.g. `http://127.0.0.1:PORT/open_api_v1`. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** Current credentials (a copy; vendor extras such as Udesk's `rotateToken` change them). */
  readonly credentials: C;
  readonly state: S;
  readonly faults: FaultController;
  /** The HTTP control endpoint (seed, faults, state, stats, reset, rate limit). */
  readonly control: ControlEndpoint;
  setRateLimit(r: RateLimitOptions | false): void;
  stats(): SimulatorStats;
  resetStats(): void;
  /** Stops the server (and any server given in `closeAlso`). */
  close(): Promise<void>;
}

export interface SimulatorHandleParts<S, C, X extends object> {
  /** Path of the API root below the origin ('' when the origin is the root). */
  prefix: string;
  state: S;
  credentials: () => C;
  control: ControlTarget;
  /** Vendor-specific members (plain values or functions), e.g. `{ rotateToken }`. */
  extras?: X;
  /** Other servers that live and die with this one (Huawei's separate token origin). */
  closeAlso?: ReadonlyArray<{ close(): Promise<void> }>;
}

/**
 * Builds the one simulator handle from a started SimServer, and serves the control endpoint
 * for it. `extras` are copied onto the handle; the `credentials` getter stays live.
 */
export function simulatorHandle<S, C, X extends object = Record<never, never>>(
  server: SimServer,
  parts: SimulatorHandleParts<S, C, X>,
): SimulatorHandle<S, C> & X {
  server.attachControl(controlHandler(server, parts.control));
  const others = parts.closeAlso ?? [];
  const handle: SimulatorHandle<S, C> = {
    baseUrl: `${server.origin}${parts.prefix}`,
    origin: server.origin,
    port: server.port,
    get credentials() {
      return parts.credentials();
    },
    state: parts.state,
    faults: server.faults,
    control: { url: `${server.origin}${CONTROL_PREFIX}`, token: server.controlToken },
    setRateLimit: (r) => server.setRateLimit(r),
    stats: () => server.stats(),
    resetStats: () => server.resetStats(),
    close: async () => {
      await Promise.all([server.close(), ...others.map((o) => o.close())]);
    },
  };
  return Object.assign(handle, parts.extras);
}

// ---------------------------------------------------------------------------------------------
// The control endpoint: routes below CONTROL_PREFIX, after SimServer checked the bearer token
// ---------------------------------------------------------------------------------------------

type ControlRoute = (req: ControlRequest) => SimReply;

const done = (): SimReply => ({ status: 204 });
const badRequest = (message: string): SimReply => ({ status: 400, body: { error: message } });

function controlHandler(server: SimServer, target: ControlTarget): (req: ControlRequest) => SimReply {
  const routes: Record<string, ControlRoute> = {
    'GET /state': () => ({ status: 200, body: target.snapshot() }),
    'GET /stats': () => ({ status: 200, body: server.stats() }),
    'GET /settings': () => ({ status: 200, body: server.settings() }),
    'POST /faults': (req) => guarded(() => server.faults.set(faultOptionsFromJson(req.body))),
    'DELETE /faults': () => {
      server.faults.clear();
      return done();
    },
    'POST /seed': (req) => guarded(() => ({ status: 200, body: { ids: target.seed(tenantFromJson(req.body)) } })),
    'POST /reset': () => {
      target.reset();
      return done();
    },
    'PUT /rate-limit': (req) => guarded(() => applyLimits(server, req.body)),
  };
  return (req) => {
    const route = routes[`${req.method} ${req.path}`];
    if (route) return route(req);
    const known = Object.keys(routes).some((k) => k.endsWith(` ${req.path}`));
    return known ? { status: 405, body: { error: `${req.method} is not allowed here` } } : { status: 404, body: { error: 'no such control route' } };
  };
}

/** Runs a control action; the JS API's RangeError/Error (validation, seed conflicts) becomes a 400. */
function guarded(action: () => SimReply | void): SimReply {
  try {
    return action() ?? done();
  } catch (e) {
    return badRequest(e instanceof Error ? e.message : String(e));
  }
}

/** FaultOptions as JSON: `match.path` is a string (no RegExp in JSON); the rest is checked by `faults.set`. */
function faultOptionsFromJson(body: unknown): FaultOptions {
  if (!isRecord(body)) throw new RangeError('body must be a JSON object of FaultOptions');
  return body as unknown as FaultOptions;
}

/** A SeedTenant, or `{ "generate": GenerateTenantOptions }`. */
function tenantFromJson(body: unknown): SeedTenant {
  if (!isRecord(body)) throw new RangeError('body must be a SeedTenant or {"generate": {...}}');
  if (body.generate !== undefined) {
    if (!isRecord(body.generate)) throw new RangeError('generate must be an object of GenerateTenantOptions');
    return generateTenant(body.generate as GenerateTenantOptions);
  }
  for (const k of ['roles', 'departments', 'groups', 'agents'] as const) {
    if (!Array.isArray(body[k])) throw new RangeError(`tenant.${k} must be an array`);
  }
  return body as unknown as SeedTenant;
}

/** `{ "requestsPerMinute": n | null, "maxConcurrent": n | null }`, or `false` to lift the per-minute limit. */
function applyLimits(server: SimServer, body: unknown): void {
  if (body === false || body === null) return server.setRateLimit(false);
  if (!isRecord(body)) throw new RangeError('body must be {"requestsPerMinute": n} or false');
  const rpm = body.requestsPerMinute;
  const conc = body.maxConcurrent;
  if (rpm === undefined && conc === undefined) throw new RangeError('give requestsPerMinute and/or maxConcurrent');
  const rateLimit = rpm === null ? false : { requestsPerMinute: rpm as number };
  const maxConcurrent = conc === null ? false : (conc as number);
  // both checked before either applies: a bad body changes nothing
  if (rpm !== undefined) validateRateLimit(rateLimit);
  if (conc !== undefined) validateMaxConcurrent(maxConcurrent);
  if (rpm !== undefined) server.setRateLimit(rateLimit);
  if (conc !== undefined) server.setMaxConcurrent(maxConcurrent);
}
