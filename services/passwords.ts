// Passwords as scrypt hashes (memory-hard, part of Node): `scrypt$<N>$<r>$<p>$<salt>$<hash>`, with a
// random salt per password and the cost kept with the hash, so that a stronger cost later applies
// to new passwords while old hashes still verify. Compared in constant time.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** One of OWASP's equivalent minimums for scrypt (N=2^17 r=8 p=1 … N=2^15 r=8 p=3): 32 MiB per hash, three times over. */
export const COST = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;
const maxmem = (N: number, r: number) => 128 * N * r * 2;

export async function hashPassword(password: string, cost = COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem: maxmem(cost.N, cost.r) });
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/;

/** Whether the password is the one hashed. A malformed hash verifies nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5]!, 'base64url');
  const hash = await scrypt(password.normalize('NFC'), Buffer.from(m[4]!, 'base64url'), expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(hash, expected);
}

/**
 * A hash no password matches, verified when the account does not exist or has no password, so
 * that a sign-in takes as long whether or not the name is someone's.
 */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword(randomBytes(16).toString('hex')));
