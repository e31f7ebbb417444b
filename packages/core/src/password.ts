import { randomInt } from 'node:crypto';
import type { PasswordRules } from './client';

const CLASSES = {
  lower: 'abcdefghijkmnopqrstuvwxyz',
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  digit: '23456789',
} as const;

/** A random password (crypto RNG) that satisfies `rules`; `length` defaults to max(minLength, 16) within maxLength. */
export function generatePassword(rules: PasswordRules, length?: number): string {
  const size = Math.min(rules.maxLength, Math.max(rules.minLength, length ?? 16));
  const pools: string[] = rules.requiredClasses.map((c) => (c === 'special' ? rules.specials : CLASSES[c]));
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
  for (const c of rules.requiredClasses) if (!has[c]) problems.push(`must contain a ${c === 'special' ? 'special character' : c === 'digit' ? 'digit' : `${c}-case letter`}`);
  return problems;
}
