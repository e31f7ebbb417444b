import { inspect } from 'node:util';
import { HttpTransport, type Logger, type TransportOptions } from '@contactkit/core';

export const ORIGIN = 'https://api.test';
export const BASE = `${ORIGIN}/v1`;

/** A transport with tiny, deterministic backoff (random 0.5, 1–2 ms). */
export function makeTransport(options: Partial<TransportOptions> = {}): HttpTransport {
  return new HttpTransport({
    vendor: 'kf5',
    baseUrl: BASE,
    retry: { minDelayMs: 1, maxDelayMs: 2 },
    random: () => 0.5,
    ...options,
  });
}

export interface LogCall {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown> | undefined;
}

export function recordingLogger(): Logger & { calls: LogCall[] } {
  const calls: LogCall[] = [];
  const at = (level: LogCall['level']) => (message: string, meta?: Record<string, unknown>) => {
    calls.push({ level, message, meta });
  };
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Every way a value may be shown: JSON, util.inspect (non-enumerable stack and cause included), String. */
export function renderAll(value: unknown): string {
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    json = '';
  }
  return [json, inspect(value, { depth: 12, showHidden: false }), String(value)].join('\n');
}

export function networkError(code: string, message = `socket error ${code}`): Error {
  // nock 14.0.9: replyWithError({ code }) (an object) never settles; an Error with a code works
  return Object.assign(new Error(message), { code });
}
