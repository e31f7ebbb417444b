import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AgentInput, type ContactCenterClient, type DeleteOptions } from '@contactkit/core';
import { parseAttributeList, project } from './attributes';
import { listResponse, resourceTypes, schemas, serviceProviderConfig } from './discovery';
import { ScimError, toScimError } from './errors';
import { matches, parseFilter, userNameEquality, type Filter } from './filter';
import { applyPatch, parsePatchBody } from './patch';
import { findKey, isObject } from './path';
import type { ScimStore } from './store';
import { scimAttributeOf } from './user-mapping';
import { ScimResources, type Rendered } from './resources';

/** Fields applied on create when the IdP does not send them (Udesk needs roles, groups and departments). */
export type ScimCreateDefaults = Pick<AgentInput, 'roleIds' | 'groupIds' | 'departmentIds' | 'channels' | 'locale' | 'vendorFields'>;

export interface ScimServerOptions {
  client: ContactCenterClient;
  store: ScimStore;
  /** the bearer token the IdP sends */
  token: string;
  /** DELETE /Users/{id} deletes the agent; without it DELETE disables the agent (default false) */
  allowDelete?: boolean | undefined;
  defaults?: ScimCreateDefaults | undefined;
  /** vendor parameters for an agent delete (Udesk: `owner_group_id`) */
  deleteOptions?: DeleteOptions | undefined;
  /** default '/scim/v2' */
  basePath?: string | undefined;
  /** the URL the IdP reaches this server at, for meta.location (default from the Host header) */
  publicUrl?: string | undefined;
  /** the most resources one list answers (count is capped at it); default 1000 */
  maxResults?: number | undefined;
  now?: (() => Date) | undefined;
}

export type ScimRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

const MAX_BODY = 1024 * 1024;
const USER_READ_ONLY = new Set(['id', 'meta', 'groups']);
const GROUP_READ_ONLY = new Set(['id', 'meta']);

interface Request {
  method: string;
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  base: string;
  ifMatch: string | undefined;
  ifNoneMatch: string | undefined;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A SCIM 2.0 service provider (RFC 7643/7644) in front of a ContactKit client, as a Node request handler. */
export function createScimServer(options: ScimServerOptions): ScimRequestHandler {
  const basePath = (options.basePath ?? '/scim/v2').replace(/\/+$/, '');
  const maxResults = options.maxResults ?? 1000;
  const tokenDigest = digest(options.token);
  const resources = new ScimResources(options);
  const nameOf = (path: string) => scimAttributeOf(path, options.client.vendor);

  const route = async (req: Request): Promise<Reply> => {
    const [collection, id, ...extra] = req.segments;
    if (extra.length > 0 || collection === undefined) throw new ScimError(404, 'no such endpoint');
    switch (collection) {
      case 'ServiceProviderConfig':
        return ok(serviceProviderConfig(req.base, maxResults));
      case 'ResourceTypes':
        return discovery(resourceTypes(req.base), id);
      case 'Schemas':
        return discovery(schemas(req.base), id);
      case 'Users':
      case 'Groups':
        return resourceRoute(collection === 'Users' ? 'User' : 'Group', req, id);
      default:
        throw new ScimError(404, `no such endpoint ${collection}`);
    }
  };

  const discovery = (all: Array<Record<string, unknown>>, id: string | undefined): Reply => {
    if (id === undefined) return ok(listResponse(all, all.length, 1));
    const found = all.find((r) => r.id === id);
    if (!found) throw new ScimError(404, `no such resource ${id}`);
    return ok(found);
  };

  const resourceRoute = async (type: 'User' | 'Group', req: Request, id: string | undefined): Promise<Reply> => {
    const { method } = req;
    if (id === '.search' && method === 'POST') return list(type, req, searchParams(req.body));
    if (id === undefined) {
      if (method === 'GET') return list(type, req, req.query);
      if (method === 'POST') return created(await resources.create(type, requireObject(req.body), req.base), req);
      throw new ScimError(405, `${method} is not allowed on /${type}s`);
    }
    if (method === 'GET') {
      const current = await resources.get(type, id, req.base);
      if (req.ifNoneMatch && etagMatches(req.ifNoneMatch, current)) return { status: 304, headers: { ETag: etagOf(current) } };
      return single(current, req);
    }
    if (method === 'PUT' || method === 'PATCH' || method === 'DELETE') {
      const current = await resources.get(type, id, req.base);
      if (req.ifMatch && !etagMatches(req.ifMatch, current)) throw new ScimError(412, `version mismatch: the resource is at ${etagOf(current)}`);
      if (method === 'DELETE') {
        await resources.remove(type, current);
        return { status: 204 };
      }
      const body = requireObject(req.body);
      const next =
        method === 'PUT'
          ? { ...body, id: current.resource.id }
          : applyPatch(current.resource, parsePatchBody(body), type === 'User' ? USER_READ_ONLY : GROUP_READ_ONLY);
      return single(await resources.update(type, current, next, method === 'PUT', req.base), req);
    }
    throw new ScimError(405, `${method} is not allowed on /${type}s/{id}`);
  };

  const list = async (type: 'User' | 'Group', req: Request, params: URLSearchParams): Promise<Reply> => {
    const filterText = params.get('filter');
    const filter: Filter | undefined = filterText ? parseFilter(filterText) : undefined;
    const startIndex = Math.max(1, intParam(params, 'startIndex') ?? 1);
    const count = Math.min(maxResults, Math.max(0, intParam(params, 'count') ?? maxResults));
    const attributes = parseAttributeList(params.get('attributes'));
    const excluded = parseAttributeList(params.get('excludedAttributes'));
    const withMembersWanted = !excluded?.some((p) => p.attribute.toLowerCase() === 'members' && p.sub === undefined) && (!attributes || attributes.some((p) => p.attribute.toLowerCase() === 'members'));
    // Entra ID filters on members while excluding them from the answer
    const withMembers = withMembersWanted || /members/i.test(filterText ?? '');
    const userName = type === 'User' && filter ? userNameEquality(filter) : undefined;
    const all = await resources.list(type, req.base, { userName, withMembers });
    const hits = filter ? all.filter((r) => matches(r.resource, filter)) : all;
    const page = hits.slice(startIndex - 1, startIndex - 1 + count);
    return ok(listResponse(page.map((r) => project(r.resource, attributes, excluded)), hits.length, startIndex));
  };

  const single = (r: Rendered, req: Request): Reply => {
    const attributes = parseAttributeList(req.query.get('attributes'));
    const excluded = parseAttributeList(req.query.get('excludedAttributes'));
    return { status: 200, body: project(r.resource, attributes, excluded), headers: { ETag: etagOf(r) } };
  };

  const created = (r: Rendered, req: Request): Reply => ({ ...single(r, req), status: 201, headers: { ETag: etagOf(r), Location: String((r.resource.meta as Record<string, unknown>).location) } });

  return (req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, toReply(toScimError(error, nameOf))));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return send(res, toReply(new ScimError(404, 'not a SCIM endpoint')));
    if (!authorized(req.headers.authorization, tokenDigest)) {
      req.resume();
      return send(res, toReply(new ScimError(401, 'a valid bearer token is required', undefined, { 'WWW-Authenticate': 'Bearer realm="scim"' })));
    }
    const body = await readBody(req);
    const base = `${options.publicUrl?.replace(/\/+$/, '') ?? `http://${req.headers.host ?? 'localhost'}`}${basePath}`;
    const segments = url.pathname.slice(basePath.length).split('/').filter(Boolean).map(decodeURIComponent);
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const reply = await route({ method: req.method ?? 'GET', segments, query: url.searchParams, body, base, ifMatch: header('if-match'), ifNoneMatch: header('if-none-match') });
    send(res, reply);
  }
}

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function toReply(error: ScimError): Reply {
  return { status: error.status, body: error.body(), headers: error.headers };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body !== undefined) headers['Content-Type'] = 'application/scim+json; charset=utf-8';
  res.writeHead(reply.status, headers);
  res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant time: both sides are compared as SHA-256 digests of equal length. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), expected);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ScimError(413, `the body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ScimError(400, 'the body is not valid JSON', 'invalidSyntax');
  }
}

function requireObject(body: unknown): Record<string, unknown> {
  if (!isObject(body)) throw new ScimError(400, 'the body must be a JSON object', 'invalidSyntax');
  return body;
}

function intParam(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new ScimError(400, `${name} must be an integer`, 'invalidValue');
  return n;
}

/** A POST /.search body (RFC 7644 §3.4.3) as query parameters. */
function searchParams(body: unknown): URLSearchParams {
  const b = requireObject(body);
  const params = new URLSearchParams();
  for (const name of ['filter', 'startIndex', 'count', 'attributes', 'excludedAttributes']) {
    const key = findKey(b, name);
    const v = key === undefined ? undefined : b[key];
    if (v !== undefined && v !== null) params.set(name, Array.isArray(v) ? v.join(',') : String(v));
  }
  return params;
}

export function etagOf(r: Rendered): string {
  return `W/"${r.record.version}"`;
}

function etagMatches(header: string, r: Rendered): boolean {
  const current = etagOf(r);
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === current || tag === current.slice(2);
  });
}

