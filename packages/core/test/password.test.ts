import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, checkPassword, generatePassword, type PasswordRules } from '@contactkit/core';

const CLASSES = ['lower', 'upper', 'digit', 'special'] as const;

const rulesArb = fc
  .record({
    classes: fc.subarray([...CLASSES]),
    minLength: fc.integer({ min: 1, max: 40 }),
    extra: fc.integer({ min: 0, max: 40 }),
    specials: fc.stringMatching(/^[!@#$%^&*()_+\-=.,?]{1,8}$/),
  })
  .map(({ classes, minLength, extra, specials }): PasswordRules => {
    const min = Math.max(minLength, classes.length);
    return { minLength: min, maxLength: min + extra, requiredClasses: classes, specials };
  });

describe('generatePassword', () => {
  it('property: a generated password satisfies its rules', () => {
    fc.assert(
      fc.property(rulesArb, fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), (rules, length) => {
        const pw = generatePassword(rules, length);
        expect(checkPassword(pw, rules)).toEqual([]);
        expect(pw.length).toBeGreaterThanOrEqual(rules.minLength);
        expect(pw.length).toBeLessThanOrEqual(rules.maxLength);
        // only letters, digits and the vendor's own specials
        for (const ch of pw) expect(/[A-Za-z0-9]/.test(ch) || rules.specials.includes(ch)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('defaults to 16 characters within the limits', () => {
    const rules: PasswordRules = { minLength: 8, maxLength: 32, requiredClasses: ['lower', 'digit'], specials: '!' };
    expect(generatePassword(rules)).toHaveLength(16);
    expect(generatePassword({ ...rules, maxLength: 10 })).toHaveLength(10);
    expect(generatePassword(rules, 20)).toHaveLength(20);
  });

  it('is random', () => {
    const rules: PasswordRules = { minLength: 12, maxLength: 12, requiredClasses: ['lower', 'upper', 'digit', 'special'], specials: '!@#' };
    expect(new Set(Array.from({ length: 20 }, () => generatePassword(rules))).size).toBe(20);
  });

  it('impossible rules are a ValidationError, not a bad password', () => {
    expect(() => generatePassword({ minLength: 1, maxLength: 2, requiredClasses: ['lower', 'upper', 'digit'], specials: '!' })).toThrow(ValidationError);
    expect(() => generatePassword({ minLength: 8, maxLength: 8, requiredClasses: ['special'], specials: '' })).toThrow(ValidationError);
    expect(() => generatePassword({ minLength: 9, maxLength: 8, requiredClasses: [], specials: '' })).toThrow(/minLength/);
  });
});

describe('checkPassword', () => {
  const rules: PasswordRules = { minLength: 8, maxLength: 12, requiredClasses: ['lower', 'upper', 'digit', 'special'], specials: '!@#' };
  it('names each failing class', () => {
    expect(checkPassword('Abcdefg1!', rules)).toEqual([]);
    expect(checkPassword('ABCDEFG1!', rules)).toEqual(['must contain a lower-case letter']);
    expect(checkPassword('abcdefg1!', rules)).toEqual(['must contain an upper-case letter']);
    expect(checkPassword('Abcdefgh!', rules)).toEqual(['must contain a digit']);
    expect(checkPassword('Abcdefg1$', rules)).toEqual(['must contain a special character']);
    expect(checkPassword('abc', rules)).toEqual([
      'must be at least 8 characters',
      'must contain an upper-case letter',
      'must contain a digit',
      'must contain a special character',
    ]);
    expect(checkPassword('Abcdefg1!Abcdefg1!', rules)).toEqual(['must be at most 12 characters']);
  });
});
