import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import fc from 'fast-check';
import { compileCheck, inPlace } from '../src/in-place';

const Item = z.looseObject({
  id: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
  email: z.string().nullish(),
  tags: z.array(z.looseObject({ id: z.number() })).nullish(),
});
const Page = z.looseObject({ items: z.array(inPlace(Item)) });
const LoosePage = z.looseObject({ items: z.array(Item) });

describe('inPlace', () => {
  it('passes the vendor object itself on, undeclared fields included', () => {
    const body = JSON.parse('{"items":[{"id":1,"email":"a@x.cn","photo":null,"extra":{"deep":1}},{"id":"2","tags":[{"id":3,"n":"x"}]}]}');
    const parsed = Page.parse(body);
    expect(parsed.items[0]).toBe(body.items[0]);
    expect(parsed.items[1]).toBe(body.items[1]);
    expect(parsed.items[0]).toEqual({ id: 1, email: 'a@x.cn', photo: null, extra: { deep: 1 } });
    // what a loose object would have made of it, field for field
    expect(parsed).toEqual(LoosePage.parse(JSON.parse(JSON.stringify(body))));
  });

  it('reports the same issues, at the same paths, as the loose schema', () => {
    const body = { items: [{ id: 1 }, { id: 'x', email: 3 }, { tags: [{ id: 'y' }] }] };
    const ours = Page.safeParse(body);
    const loose = LoosePage.safeParse(body);
    expect(ours.success).toBe(false);
    expect(ours.error!.issues.map((i) => [i.path, i.code, i.message])).toEqual(loose.error!.issues.map((i) => [i.path, i.code, i.message]));
    expect(ours.error!.issues.map((i) => i.path.join('.'))).toEqual(['items.1.id', 'items.1.email', 'items.2.id', 'items.2.tags.0.id']);
  });

  it('rejects what is not an object', () => {
    expect(Page.safeParse({ items: [null] }).success).toBe(false);
    expect(Page.safeParse({ items: ['a'] }).success).toBe(false);
  });

  it('drops an own "__proto__" key, as the loose copy did, and sets no prototype', () => {
    const body = JSON.parse('{"items":[{"id":1,"__proto__":{"polluted":true}}]}');
    const item = Page.parse(body).items[0] as Record<string, unknown>;
    expect(Object.hasOwn(item, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(item.polluted).toBeUndefined();
  });

  it.each([
    ['a transform', z.looseObject({ id: z.string().transform((s) => s.toUpperCase()) })],
    ['a default', z.looseObject({ id: z.string().default('x') })],
    ['a coercion', z.looseObject({ id: z.coerce.number() })],
    ['a trim', z.looseObject({ id: z.string().trim() })],
    ['a nested pipe', z.looseObject({ tags: z.array(z.looseObject({ id: z.string().pipe(z.string()) })).nullish() })],
  ])('refuses a schema with %s: passing the input on would skip what it changes', (_, schema) => {
    expect(() => inPlace(schema as z.ZodObject)).toThrow(/inPlace: schema\./);
  });
});

describe('compileCheck: accepts only what zod accepts', () => {
  const Every = z.object({
    s: z.string().min(1).max(5).regex(/^\d+$/),
    n: z.number().int().nonnegative(),
    f: z.number().lt(10),
    b: z.boolean(),
    lit: z.literal(1000),
    e: z.enum(['enable', 'disable']),
    u: z.union([z.number(), z.string().regex(/^\d+$/)]).nullish(),
    arr: z.array(z.looseObject({ id: z.number() })).min(1).nullish(),
    any: z.unknown(),
    opt: z.string().optional(),
  });
  const anyValue = fc.oneof(
    fc.constantFrom('', '1', '12345', '123456', 'x', '1x', 0, 1, -1, 1.5, 2 ** 60, Number.NaN, Infinity, 10, 1000, true, false, null, undefined, 'enable', 'disable', 'Enable'),
    fc.constantFrom([], [{ id: 1 }], [{ id: 'x' }], [null], { id: 1 }, {}),
    fc.anything(),
  );
  // mostly valid objects with a field or two off: a random dictionary would almost never come close
  const good: Record<keyof typeof Every.shape, unknown[]> = {
    s: ['1', '12345'],
    n: [0, 7],
    f: [-2.5, 9.99],
    b: [true],
    lit: [1000],
    e: ['disable'],
    u: [3, '42', null, undefined],
    arr: [[{ id: 1, x: 'y' }], null],
    any: [null, 'x'],
    opt: ['', undefined],
  };
  const field = (values: unknown[]) => fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 6 }, { arbitrary: anyValue, weight: 1 });
  const nearlyValid = fc.record(Object.fromEntries(Object.entries(good).map(([k, v]) => [k, field(v)])), { requiredKeys: Object.keys(good).filter((k) => k !== 'opt' && k !== 'u') });
  const candidates = fc.oneof(nearlyValid, fc.dictionary(fc.constantFrom(...Object.keys(Every.shape), 'extra', '__proto__'), anyValue, { maxKeys: 12 }));

  it('never accepts an object zod rejects (and accepts the ones built to pass)', () => {
    const check = compileCheck(Every)!;
    expect(check).toBeDefined();
    fc.assert(
      fc.property(fc.oneof(candidates, anyValue), (value) => {
        if (check(value)) expect(Every.safeParse(value).success).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    const valid = { s: '12', n: 3, f: -2.5, b: false, lit: 1000, e: 'enable', u: '7', arr: [{ id: 1, more: 'x' }], any: null, extra: 1 };
    expect(Every.safeParse(valid).success).toBe(true);
    expect(check(valid)).toBe(true);
  });

  it('gives up (undefined) on what it does not know, so zod decides', () => {
    expect(compileCheck(z.object({ a: z.string().email() }))).toBeUndefined();
    expect(compileCheck(z.strictObject({ a: z.string() }))).toBeUndefined();
    expect(compileCheck(z.object({ a: z.string() }).refine(() => true))).toBeUndefined();
    expect(compileCheck(z.object({ a: z.date() }))).toBeUndefined();
  });
});
