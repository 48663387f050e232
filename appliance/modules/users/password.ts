import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, o: ScryptOptions) => Promise<Buffer>;

/**
 * scrypt is memory-hard: N=2^15, r=8 needs 32 MiB per guess, which is what makes offline cracking of a stolen
 * database expensive. The parameters are stored in each hash so they can be raised later without a migration.
 */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

export async function hashPassword(password: string, params: { N: number; r: number; p: number } = SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params.N, params.r, params.p, SCRYPT.keyLength);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p) || expected.length === 0) return false;
  const key = await derive(password, salt, N, r, p, expected.length);
  return timingSafeEqual(key, expected);
}

/** A hash for a password nobody knows: verifying against it costs the same as against a real one. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

/** A readable one-time password for resets: 4 groups of 4 from an alphabet without look-alikes (~80 bits). */
export function generateTemporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679';
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[bytes[i]! % alphabet.length] + (i % 4 === 3 && i < 15 ? '-' : '');
  return out;
}

function derive(pw: string, salt: Buffer, N: number, r: number, p: number, len: number): Promise<Buffer> {
  // maxmem must exceed 128 * N * r bytes or Node refuses; leave headroom.
  return scrypt(pw, salt, len, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}
