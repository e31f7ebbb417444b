import { createHash, randomUUID } from 'node:crypto';

/** Builds Udesk sign-v2 query params by hand (no adapter). */
export function udeskAuth(
  email: string,
  token: string,
  opts: { timestamp?: string | number; nonce?: string; signVersion?: string; sign?: string } = {},
): URLSearchParams {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? randomUUID();
  const sign = opts.sign ?? createHash('sha256').update(`${email}&${token}&${timestamp}&${nonce}&v2`).digest('hex');
  return new URLSearchParams({ email, timestamp, nonce, sign_version: opts.signVersion ?? 'v2', sign });
}

export function udeskUrl(
  baseUrl: string,
  path: string,
  creds: { email: string; apiToken: string },
  query: Record<string, string> = {},
  auth: Parameters<typeof udeskAuth>[2] = {},
): string {
  const q = udeskAuth(creds.email, creds.apiToken, auth);
  for (const [k, v] of Object.entries(query)) q.set(k, v);
  return `${baseUrl}${path}?${q.toString()}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a reply is read as loose JSON: each test asserts the shape it needs
export async function json(res: Response): Promise<any> {
  return JSON.parse(await res.text());
}

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}
