import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError, checkPassword, generatePassword, type PasswordRules, type VendorId } from '@contactkit/core';
import { DurableAppender, ensurePrivateFile } from './journal';

/** Supplies the password for a new target account. The source vendor can never give one. */
export interface PasswordProvider {
  /** the password for `email`; the same one on every call (a resumed run reuses it) */
  passwordFor(email: string, rules: PasswordRules): Promise<string>;
  /** where the passwords are, for the report (never the passwords themselves) */
  describe(): string;
}

/**
 * Policy `generate`: a random password meeting the target's rules, written to a 0600 credentials
 * file (fsync'd) BEFORE the account is created, so a crash cannot leave an account whose password
 * nobody knows.
 */
export class GeneratedPasswords implements PasswordProvider {
  readonly path: string;
  private readonly known = new Map<string, string>();
  private readonly file: DurableAppender;
  constructor(dir: string, private readonly targetVendor: VendorId, options: { io?: ConstructorParameters<typeof DurableAppender>[2] } = {}) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.path = join(dir, 'credentials.jsonl');
    ensurePrivateFile(this.path);
    this.file = new DurableAppender(this.path, true, options.io);
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const rec = JSON.parse(line) as { email: string; password: string };
        this.known.set(rec.email.toLowerCase(), rec.password);
      } catch {
        // torn line after a crash: that account had not been created yet (the line precedes the create)
      }
    }
  }
  async passwordFor(email: string, rules: PasswordRules): Promise<string> {
    const key = email.toLowerCase();
    const existing = this.known.get(key);
    if (existing) return existing;
    const password = generatePassword(rules);
    this.known.set(key, password);
    // on disk before the account exists: a crash must not leave an account whose password nobody has
    await this.file.append(JSON.stringify({ vendor: this.targetVendor, email, password }));
    return password;
  }
  describe(): string {
    return `generated; written to ${this.path} (mode 0600)`;
  }
}

/** Policy `from-file`: a JSON object `{ "email": "password" }` or JSON lines `{email, password}`. */
export class FilePasswords implements PasswordProvider {
  private readonly byEmail = new Map<string, string>();
  constructor(private readonly path: string) {
    if (!existsSync(path)) throw new ValidationError([{ path: 'passwordFile', message: `file not found: ${path}` }]);
    const text = readFileSync(path, 'utf8').trim();
    try {
      if (text.startsWith('{') && !text.includes('\n{')) {
        for (const [email, password] of Object.entries(JSON.parse(text) as Record<string, string>)) this.byEmail.set(email.toLowerCase(), String(password));
      } else {
        for (const line of text.split('\n')) {
          if (!line.trim()) continue;
          const rec = JSON.parse(line) as { email: string; password: string };
          this.byEmail.set(rec.email.toLowerCase(), rec.password);
        }
      }
    } catch {
      throw new ValidationError([{ path: 'passwordFile', message: 'must be a JSON object {email: password} or JSON lines {email, password}' }]);
    }
  }
  async passwordFor(email: string, rules: PasswordRules): Promise<string> {
    const password = this.byEmail.get(email.toLowerCase());
    if (!password) throw new ValidationError([{ path: 'passwordFile', message: `no password for ${email}` }]);
    const problems = checkPassword(password, rules);
    if (problems.length) throw new ValidationError(problems.map((message) => ({ path: `passwordFile[${email}]`, message })));
    return password;
  }
  describe(): string {
    return `taken from ${this.path}`;
  }
}

