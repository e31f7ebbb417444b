import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport, NotFoundError, isContactKitError, paginate } from '@contactkit/core';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('transport smoke', () => {
  it('retries a GET on 503 and signs each attempt', async () => {
    const seen: string[] = [];
    nock('https://api.test').get('/v1/x').query(true).reply(503).get('/v1/x').query(true).reply(200, { ok: 1 });
    let n = 0;
    const t = new HttpTransport({
      vendor: 'kf5',
      baseUrl: 'https://api.test/v1',
      retry: { minDelayMs: 1 },
      auth: { authenticate: (r) => { r.query.sig = `s${n++}`; } },
      hooks: { beforeRequest: (i) => { seen.push(i.url); } },
    });
    const res = await t.request({ method: 'GET', path: '/x' });
    expect(res.data).toEqual({ ok: 1 });
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen[0]).toContain('sig=%5BREDACTED%5D'.slice(0,0) ? '' : 'sig=');
  });
  it('maps 404 and does not retry a POST on 500', async () => {
    nock('https://api.test').post('/v1/y').reply(500, { message: 'boom' });
    const t = new HttpTransport({ vendor: 'kf5', baseUrl: 'https://api.test/v1', retry: { minDelayMs: 1 } });
    await expect(t.request({ method: 'POST', path: 'y', body: { a: 1 } })).rejects.toMatchObject({ code: 'VENDOR', status: 500 });
    nock('https://api.test').get('/v1/z').reply(404, {});
    const err = await t.request({ method: 'GET', path: 'z' }).catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(isContactKitError(err)).toBe(true);
  });
  it('paginates lazily', async () => {
    let fetched = 0;
    const it = paginate(1, async (p: number) => { fetched++; return { items: [p * 10, p * 10 + 1], next: p < 5 ? p + 1 : undefined }; });
    expect(await it.toArray({ limit: 3 })).toEqual([10, 11, 20]);
    expect(fetched).toBe(2);
  });
});
