// The customer page's proof of work: the browser searches for a nonce such that
// sha256(salt + nonce) starts with `bits` zero bits. Cheap to check, costly to find in bulk.

/** How many zero bits the digest starts with. */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}
