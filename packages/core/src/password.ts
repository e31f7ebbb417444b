import { randomInt } from 'node:crypto';
import type { PasswordRules } from './client';
import { ValidationError } from './errors';

const CLASSES = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digit: '23456789',
} as const;

/** A random password (crypto RNG) that satisfies `rules`; `length` defaults to max(minLength, 16) within maxLength. */
export function generatePassword(rules: PasswordRules, length?: number): string {
  const required = [...new Set(rules.requiredClasses)];
  const size = Math.min(rules.maxLength, Math.max(rules.minLength, length ?? 16, required.length));
  const impossible: string[] = [];
  if (rules.minLength > rules.maxLength) impossible.push('minLength is above maxLength');
  if (required.length > rules.maxLength) impossible.push(`${required.length} required classes do not fit in maxLength ${rules.maxLength}`);
  if (required.includes('special') && rules.specials.length === 0) impossible.push('a special character is required but specials is empty');
  if (impossible.length > 0) throw new ValidationError(impossible.map((message) => ({ path: 'passwordRules', message })));
  const pools: string[] = required.map((c) => (c === 'special' ? rules.specials : CLASSES[c]));
  const all = [CLASSES.lower, CLASSES.upper, CLASSES.digit, ...(rules.requiredClasses.includes('special') ? [rules.specials] : [])].join('');
  const chars = pools.map((pool) => pool[randomInt(pool.length)]!);
  while (chars.length < size) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** The issues a password has against `rules` (empty when it passes). */
export function checkPassword(password: string, rules: PasswordRules): string[] {
  const problems: string[] = [];
  if (password.length < rules.minLength) problems.push(`must be at least ${rules.minLength} characters`);
  if (password.length > rules.maxLength) problems.push(`must be at most ${rules.maxLength} characters`);
  const has = {
    lower: /[a-z]/.test(password),
    upper: /[A-Z]/.test(password),
    digit: /[0-9]/.test(password),
    special: [...password].some((ch) => rules.specials.includes(ch)),
  };
  const NAMES = { lower: 'a lower-case letter', upper: 'an upper-case letter', digit: 'a digit', special: 'a special character' } as const;
  for (const c of new Set(rules.requiredClasses)) if (!has[c]) problems.push(`must contain ${NAMES[c]}`);
  return problems;
}
