import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors';
import type { VendorId } from './model';

/**
 * zod issues → our issues: a dotted path per bad field and zod's message. A strict object's unknown
 * keys are named one by one (`vendorFields.colour`), as every other bad field is, not as one issue
 * on the object.
 */
export function toValidationIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  const dotted = (path: readonly PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.');
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: dotted([...issue.path, key]), message: 'not a field this call takes' }))
      : [{ path: dotted(issue.path), message: issue.message }],
  );
}

/**
 * Validates input before anything is sent: returns the parsed value or throws ValidationError
 * naming each bad field.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  options: { vendor?: VendorId; prefix?: string } = {},
): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(toValidationIssues(result.error, options.prefix), { vendor: options.vendor });
  }
  return result.data;
}

/** Collects issues from several checks and throws them together. */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];
  add(path: string, message: string): this {
    this.issues.push({ path, message });
    return this;
  }
  check(condition: boolean, path: string, message: string): this {
    if (!condition) this.add(path, message);
    return this;
  }
  throwIfAny(vendor?: VendorId): void {
    if (this.issues.length > 0) throw new ValidationError(this.issues, { vendor });
  }
}

/**
 * Checks a mapped wire body against the vendor's own schema, after the model input passed its zod
 * schema: each issue is named by the caller's field (`fieldOf` maps a wire path back), so the error
 * speaks the model, and nothing is sent.
 */
export function checkWire<S extends z.ZodType>(
  schema: S,
  body: unknown,
  fieldOf: (wirePath: PropertyKey[]) => string,
  options: { vendor?: VendorId } = {},
): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: fieldOf([...issue.path, key]), message: 'not a field this call takes' }))
        : [{ path: fieldOf(issue.path), message: issue.message }],
    );
    throw new ValidationError(issues, { vendor: options.vendor });
  }
  return result.data;
}
