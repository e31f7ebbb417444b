import type { SimReply, SimRequest } from '../server';
import { err, forbidden } from './replies';
import type { Kf5Credentials, Kf5TokenRole } from './types';

export const DEFAULT_CREDENTIALS: Kf5Credentials = {
  email: 'admin@kf5-sim.example.com',
  password: 'Kf5-Sim-2024!',
  apiToken: 'c3f9a1d27e4b48b6a0e5d1f83b7c9a42',
};

/** 调用权限 of each route we serve, from the seed doc (groups) and the Java SDK javadoc (users). */
function requiredRole(method: string, relPath: string): 'agent' | 'admin' {
  if (method === 'GET') return 'agent';
  if (/^\/groups(\/[^/]+)?\.json$/.test(relPath)) return 'admin';
  if (method === 'DELETE' && /^\/users\/[^/]+\.json$/.test(relPath)) return 'admin';
  return 'agent';
}

const ROLE_RANK: Record<Kf5TokenRole, number> = { end_user: 0, agent: 1, admin: 2 };

/** `email:password` or `email/token:apiToken` from a Basic header; null when the header is not one. */
function basicLogin(header: string): { user: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i > 0 ? { user: decoded.slice(0, i), secret: decoded.slice(i + 1) } : null;
}

const unauthorized = (): SimReply => ({
  ...err(401, 'Unauthorized', "Couldn't authenticate you"),
  headers: { 'www-authenticate': 'Basic realm="KF5 API"' },
});

/**
 * KF5 Basic auth: the password may do everything; the API token may do what `tokenRole` allows
 * (403 above it). Anything else is 401.
 */
export function kf5Authenticator(creds: Kf5Credentials, tokenRole: Kf5TokenRole): (req: SimRequest) => SimReply | null {
  return (req) => {
    const login = basicLogin(req.headers.authorization ?? '');
    if (login?.user === creds.email && login.secret === creds.password) return null;
    if (login?.user === `${creds.email}/token` && login.secret === creds.apiToken) {
      return ROLE_RANK[tokenRole] >= ROLE_RANK[requiredRole(req.method, req.relPath)] ? null : forbidden();
    }
    return unauthorized();
  };
}
