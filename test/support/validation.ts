/**
 * Helpers the adapters' property and robustness tests share: what "rejected before any request"
 * and "a model object without undefined fields" mean is the same for every vendor.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { AgentSchema, InvalidResponseError, ValidationError, type Agent } from '@contactkit/core';

/** The rejection of `p`, which must be a ValidationError (a resolved promise fails the test). */
export async function rejected(p: Promise<unknown>): Promise<ValidationError> {
  const error = await p.then(
    () => {
      throw new Error('resolved: the bad input was accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

/** Whether the error names `field` (or a path below it, such as `groupIds.2`). */
export function namesField(e: ValidationError, field: string): boolean {
  return e.issues.some((i) => i.path === field || i.path.startsWith(`${field}.`));
}

/** Keys of a model object whose value is undefined (remoteData aside): the model never has any. */
export function undefinedKeys(value: Record<string, unknown>): string[] {
  return Object.entries(value)
    .filter(([k, v]) => k !== 'remoteData' && v === undefined)
    .map(([k]) => k);
}

/**
 * Property: any random object given to `call` is a ValidationError whose issues all name a field,
 * and no request is attempted (`attempts` counts them, e.g. through a beforeRequest hook).
 */
export async function assertRandomObjectsRejected(call: (input: unknown) => Promise<unknown>, attempts: () => number, numRuns = 100): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.object(), async (input) => {
      const before = attempts();
      const e = await rejected(call(input));
      expect(e.issues.length).toBeGreaterThan(0);
      expect(e.issues.every((i) => i.path !== '')).toBe(true);
      expect(attempts()).toBe(before);
    }),
    { numRuns },
  );
}

/** The value or the rejection of `p`, for tests that accept either (a tolerant parse or an error). */
export async function outcome<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await p };
  } catch (error) {
    return { error };
  }
}

/** An InvalidResponseError whose message names `path` (when given) and shows none of `neverShown`. */
export function expectInvalidResponse(error: unknown, neverShown: readonly string[], path?: string): void {
  expect(error, String(error)).toBeInstanceOf(InvalidResponseError);
  const e = error as InvalidResponseError;
  if (path) expect(e.message).toContain(path);
  for (const text of [e.message, e.stack ?? '', JSON.stringify(e), String((e as { cause?: unknown }).cause ?? '')]) {
    for (const value of neverShown) expect(text).not.toContain(value);
  }
}

/** Model agents as the model promises them: AgentSchema holds and no field is undefined. */
export function expectValidAgents(agents: Agent[]): void {
  for (const a of agents) {
    const parsed = AgentSchema.safeParse(a);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    for (const [k, v] of Object.entries(a)) expect(v, k).not.toBeUndefined();
  }
}
