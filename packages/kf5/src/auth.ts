import { ValidationError, type AuthStrategy, type HttpMethod, type PreparedRequest } from '@contactkit/core';

/** The credentials KF5 accepts on apiv2: HTTP Basic with a password or with the account's API token. */
export interface Kf5Credentials {
  /** the email the caller signs in with */
  email: string;
  /** the account's API token (系统设置 → API接口 → 通信秘钥); sent as `email/token:apiToken` */
  apiToken?: string | undefined;
  /** the account's password; sent as `email:password` */
  password?: string | undefined;
}

/** Which credential signs requests: one of them, or both (token for agent calls, password for admin calls). */
export type Kf5AuthMode = 'token' | 'password' | 'token+password';

/** The role a KF5 endpoint documents as required (调用权限). */
export type Kf5CallRole = 'agent' | 'admin';

export interface Kf5Auth {
  strategy: AuthStrategy;
  mode: Kf5AuthMode;
  /** the header value sent for each role, `Basic <base64>` (secrets) */
  headers: Record<Kf5CallRole, string>;
  /** every value to register with the transport's redactor */
  secrets: string[];
}

/**
 * The documented role of a call: group create/update/delete and user delete are `admin`
 * (seed doc 调用权限; Java SDK javadoc), every other call we make is `agent`.
 */
export function kf5RequiredRole(method: HttpMethod | string, pathname: string): Kf5CallRole {
  const m = method.toUpperCase();
  if (m === 'GET') return 'agent';
  if (/\/groups(\/[^/]+)?\.json$/.test(pathname)) return 'admin';
  if (m === 'DELETE' && /\/users\/[^/]+\.json$/.test(pathname)) return 'admin';
  if (/\/users\/[^/]+\/merge\.json$/.test(pathname)) return 'admin';
  return 'agent';
}

function checkCredentials(credentials: Kf5Credentials): { email: string; hasToken: boolean; hasPassword: boolean } {
  const issues: Array<{ path: string; message: string }> = [];
  const email = typeof credentials.email === 'string' ? credentials.email.trim() : '';
  if (!email) issues.push({ path: 'email', message: 'must not be empty' });
  // a colon in the user part would shift the Basic split point: refuse it rather than send a wrong identity
  else if (email.includes(':')) issues.push({ path: 'email', message: 'must not contain ":"' });
  const hasToken = typeof credentials.apiToken === 'string' && credentials.apiToken !== '';
  const hasPassword = typeof credentials.password === 'string' && credentials.password !== '';
  if (!hasToken && !hasPassword) issues.push({ path: 'apiToken', message: 'give apiToken or password' });
  if (issues.length > 0) {
    throw new ValidationError(issues, { vendor: 'kf5', secrets: [credentials.apiToken ?? '', credentials.password ?? ''].filter(Boolean) });
  }
  return { email, hasToken, hasPassword };
}

/**
 * `email:password` or `email/token:apiToken` per role. With both configured, admin-only calls use
 * the password: the official PHP SDK says calls with 调用权限 agent or higher need
 * `setAuth('password')`, while the Java SDK signs agent calls with the token (see README).
 */
export function kf5UserPass(credentials: Kf5Credentials): { mode: Kf5AuthMode; userPass: Record<Kf5CallRole, string> } {
  const { email, hasToken, hasPassword } = checkCredentials(credentials);
  const token = `${email}/token:${credentials.apiToken}`;
  const password = `${email}:${credentials.password}`;
  if (hasToken && hasPassword) return { mode: 'token+password', userPass: { agent: token, admin: password } };
  if (hasToken) return { mode: 'token', userPass: { agent: token, admin: token } };
  return { mode: 'password', userPass: { agent: password, admin: password } };
}

const basic = (userPass: string) => Buffer.from(userPass, 'utf8').toString('base64');

/** Builds the Basic headers once; the strategy picks the one the call's documented role needs. */
export function createKf5Auth(credentials: Kf5Credentials): Kf5Auth {
  const { mode, userPass } = kf5UserPass(credentials);
  const encoded = { agent: basic(userPass.agent), admin: basic(userPass.admin) };
  const headers = { agent: `Basic ${encoded.agent}`, admin: `Basic ${encoded.admin}` };
  const strategy: AuthStrategy = {
    authenticate(request: PreparedRequest): void {
      request.headers.Authorization = headers[kf5RequiredRole(request.method, new URL(request.url).pathname)];
    },
  };
  const secrets = [...new Set([headers.agent, headers.admin, encoded.agent, encoded.admin])];
  for (const s of [credentials.apiToken, credentials.password]) if (typeof s === 'string' && s !== '') secrets.push(s);
  return { strategy, mode, headers, secrets };
}
