/**
 * Generated passwords sealed to the operator's public key, so they can live where the journal lives
 * (Redis, for queued jobs) without being there in clear: any worker seals, only the holder of the
 * private key opens. Hybrid encryption from node:crypto: a fresh AES-256-GCM key per record, wrapped
 * with RSA-OAEP (SHA-256).
 */
import { constants, createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { ValidationError, generatePassword, type PasswordRules } from '@contactkit/core';
import type { PasswordProvider } from './passwords';

/** Where sealed records go: a Redis list for queued jobs, anything append-only elsewhere. */
export interface SealedRecordStore {
  append(record: string): Promise<void>;
  load(): Promise<string[]>;
  /** where the records are, for the report */
  describe(): string;
}

interface Sealed {
  /** the public key's fingerprint, so the operator knows which private key opens it */
  fp: string;
  k: string;
  iv: string;
  tag: string;
  c: string;
}

export interface OpenedPassword {
  vendor: string;
  email: string;
  password: string;
  at: string;
}

function publicKeyOf(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('not RSA ≥ 2048');
    return key;
  } catch {
    throw new ValidationError([{ path: 'passwordsPublicKey', message: 'must be an RSA public key of at least 2048 bits, PEM (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072)' }]);
  }
}

export function keyFingerprint(key: KeyObject): string {
  return `sha256:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16)}`;
}

export function sealRecord(publicKey: KeyObject, text: string): string {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const c = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  const k = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, key);
  const sealed: Sealed = { fp: keyFingerprint(publicKey), k: k.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), c: c.toString('base64') };
  return JSON.stringify(sealed);
}

export function openRecord(privateKey: KeyObject, record: string): string {
  const s = JSON.parse(record) as Sealed;
  const key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(s.k, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(s.c, 'base64')), decipher.final()]).toString('utf8');
}

/**
 * Opens every sealed record with the private key, grouped by email, newest first. More than one
 * password for an email means a run was cut between sealing one and creating the account: the newest
 * is the account's unless an earlier create landed after all (then an older one is).
 */
export function openPasswords(privateKeyPem: string, records: string[]): Map<string, OpenedPassword[]> {
  const privateKey = createPrivateKey(privateKeyPem);
  const byEmail = new Map<string, OpenedPassword[]>();
  for (const record of records) {
    const opened = JSON.parse(openRecord(privateKey, record)) as OpenedPassword;
    const key = opened.email.toLowerCase();
    byEmail.set(key, [opened, ...(byEmail.get(key) ?? [])]);
  }
  return byEmail;
}

/**
 * Policy `generate`, sealed: a random password meeting the target's rules, sealed to the operator's
 * public key and stored BEFORE the account is created (as GeneratedPasswords does on disk).
 */
export class SealedPasswords implements PasswordProvider {
  private readonly key: KeyObject;
  private readonly known = new Map<string, string>();

  constructor(
    publicKeyPem: string,
    private readonly store: SealedRecordStore,
    private readonly targetVendor: string,
  ) {
    this.key = publicKeyOf(publicKeyPem);
  }

  async passwordFor(email: string, rules: PasswordRules): Promise<string> {
    const existing = this.known.get(email.toLowerCase());
    if (existing) return existing;
    const password = generatePassword(rules);
    this.known.set(email.toLowerCase(), password);
    await this.store.append(sealRecord(this.key, JSON.stringify({ vendor: this.targetVendor, email, password, at: new Date().toISOString() })));
    return password;
  }

  describe(): string {
    return `generated; sealed to the public key ${keyFingerprint(this.key)} in ${this.store.describe()} (open with contactkit migrate passwords)`;
  }
}
