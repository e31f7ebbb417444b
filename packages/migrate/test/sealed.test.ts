import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@contactkit/core';
import { SealedPasswords, openPasswords, type SealedRecordStore } from '@contactkit/migrate';

const RULES = { minLength: 12, maxLength: 16, requiredClasses: ['lower', 'upper', 'digit'] as Array<'lower' | 'upper' | 'digit'>, specials: '' };
const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

function memoryStore(): SealedRecordStore & { records: string[] } {
  const records: string[] = [];
  return { records, append: async (r) => void records.push(r), load: async () => [...records], describe: () => 'memory' };
}

describe('SealedPasswords', () => {
  it('seals each generated password to the public key before returning it; only the private key opens them', async () => {
    const operator = pair();
    const store = memoryStore();
    const passwords = new SealedPasswords(operator.publicKey, store, 'kf5');
    const a = await passwords.passwordFor('a@example.com', RULES);
    expect(await passwords.passwordFor('A@example.com', RULES)).toBe(a); // one per email
    const b = await passwords.passwordFor('b@example.com', RULES);
    expect(store.records).toHaveLength(2);
    for (const record of store.records) for (const secret of [a, b, 'a@example.com']) expect(record).not.toContain(secret);
    const opened = openPasswords(operator.privateKey, await store.load());
    expect(opened.get('a@example.com')?.map((p) => p.password)).toEqual([a]);
    expect(opened.get('b@example.com')?.[0]).toMatchObject({ vendor: 'kf5', email: 'b@example.com', password: b });
    expect(passwords.describe()).toMatch(/sealed to the public key sha256:[0-9a-f]{16} in memory/);
    expect(() => openPasswords(pair().privateKey, store.records)).toThrow();
  });

  it('two workers sealing for one email: both are kept, newest first', async () => {
    const operator = pair();
    const store = memoryStore();
    const first = await new SealedPasswords(operator.publicKey, store, 'kf5').passwordFor('x@example.com', RULES);
    const second = await new SealedPasswords(operator.publicKey, store, 'kf5').passwordFor('x@example.com', RULES);
    expect(openPasswords(operator.privateKey, store.records).get('x@example.com')?.map((p) => p.password)).toEqual([second, first]);
  });

  it('a key that is not an RSA public key of 2048 bits or more is a ValidationError naming it', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    for (const key of ['not a key', small.publicKey]) {
      expect(() => new SealedPasswords(key, memoryStore(), 'kf5')).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'passwordsPublicKey' })] }));
      expect(() => new SealedPasswords(key, memoryStore(), 'kf5')).toThrow(ValidationError);
    }
  });
});
