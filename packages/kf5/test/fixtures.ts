import { createKf5Client, type Kf5ClientOptions } from '@contactkit/kf5';

export const ORIGIN = 'https://demo.kf5.com';
export const API = `${ORIGIN}/apiv2`;
export const EMAIL = 'admin@example.com';
export const TOKEN = 'tok-9f8e7d6c5b4a';
export const PASSWORD = 'S3cret-pass!';
export const TOKEN_AUTH = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;
export const PASSWORD_AUTH = `Basic ${Buffer.from(`${EMAIL}:${PASSWORD}`).toString('base64')}`;

export function client(over: Partial<Kf5ClientOptions> = {}) {
  return createKf5Client({ subdomain: 'demo', email: EMAIL, apiToken: TOKEN, retry: { minDelayMs: 1, maxDelayMs: 5 }, ...over });
}

export function user(over: Record<string, unknown> = {}) {
  return {
    id: 886,
    url: `${API}/users/886.json`,
    email: 'ann@example.com',
    name: 'Ann Li',
    agent_display_name: 'Annie',
    role: 'agent',
    phone: '13800000000',
    language: 'zh_cn',
    status: 'active',
    groups_info: [{ id: 165, name: 'Support', display_name: 'Support' }],
    custom_role_id: null,
    created_at: '2013-05-01 11:52:06',
    updated_at: '2013-05-01 11:52:06',
    ...over,
  };
}

export function group(over: Record<string, unknown> = {}) {
  return {
    id: 165,
    url: `${API}/groups/165.json`,
    name: 'Support',
    created_at: '2013-05-01 11:52:06',
    agents: [
      { id: 886, url: `${API}/users/886.json`, username: 'ann@example.com', name: 'Ann Li' },
      { id: 733, url: `${API}/users/733.json`, username: 'bo@example.com', name: 'Bo' },
    ],
    ...over,
  };
}

export function page<T>(key: string, items: T[], next: string | null, count = items.length) {
  return { [key]: items, count, next_page: next, previous_page: null };
}
