import type { SimReply } from '../server';

/** KF5's error body: `{error, message}` plus, for validation, `errors` per field. */
export function err(status: number, error: string, message: string, extra?: Record<string, unknown>): SimReply {
  return { status, body: { error, message, ...extra } };
}
export function invalid(errors: Record<string, string[]>): SimReply {
  return err(422, 'RecordInvalid', 'Record validation errors', { errors });
}
export const notFound = (what = 'resource'): SimReply => err(404, 'NotFound', `The requested ${what} could not be found`);
export const forbidden = (): SimReply => err(403, 'Forbidden', 'You do not have access to this resource');
