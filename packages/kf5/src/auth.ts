import { ValidationError, type AuthStrategy, type PreparedRequest } from '@contactkit/core';

/** The credentials KF5 accepts on apiv2: HTTP Basic with a password or with the account's API token. */
export interface Kf5Credentials {
  /** the email the caller signs in with */
  email: string;
  /** the account's API token (系统设置 → API接口 → 通信秘钥); sent as `email/token:apiToken` */
  apiToken?: string | undefined;
  /** the account's password; sent as `email:password` */
  password?: string | undefined;
}

export type Kf5AuthMode = 'token' | 'password';

export interface Kf5Auth {
  strategy: AuthStrategy;
  mode: Kf5AuthMode;
  /** the full header value, `Basic <base64>` (a secret) */
  header: string;
  /** every value to register with the transport's redactor */
  secrets: string[];
}

/** `email:password` or `email/token:apiToken`, the user-pass string HTTP Basic encodes. */
export function kf5UserPass(credentials: Kf5Credentials): { mode: Kf5AuthMode; userPass: string } {
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
  // both given: the token wins (it is the documented integration credential); see README
  if (hasToken) return { mode: 'token', userPass: `${email}/token:${credentials.apiToken}` };
  return { mode: 'password', userPass: `${email}:${credentials.password}` };
}

/** Builds the Basic header once; the strategy only copies it onto each attempt. */
export function createKf5Auth(credentials: Kf5Credentials): Kf5Auth {
  const { mode, userPass } = kf5UserPass(credentials);
  const encoded = Buffer.from(userPass, 'utf8').toString('base64');
  const header = `Basic ${encoded}`;
  const strategy: AuthStrategy = {
    authenticate(request: PreparedRequest): void {
      request.headers.Authorization = header;
    },
  };
  const secrets = [header, encoded, credentials.apiToken, credentials.password].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  return { strategy, mode, header, secrets };
}
