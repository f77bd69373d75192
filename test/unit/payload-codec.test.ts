// The payload codec on its own: sealing, key ids, rotation, tampering, payloads from before encryption.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { EncryptionCodec, KEY_ID_METADATA, newPayloadKey, parsePayloadKeys, PayloadKeyUnknownError } from '../../config/payload-codec.js';

const json = (value: unknown) => ({
  metadata: { encoding: new TextEncoder().encode('json/plain') },
  data: new TextEncoder().encode(JSON.stringify(value)),
});
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');

describe('EncryptionCodec', () => {
  const k1 = newPayloadKey('k1');
  const k2 = newPayloadKey('k2');

  it('seals a payload, naming its key, and opens it again with its metadata', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const [sealed] = await codec.encode([json({ phone: '+46701234567' })]);
    expect(text(sealed!.metadata!.encoding)).toBe('binary/encrypted');
    expect(text(sealed!.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(text(sealed!.data)).not.toContain('46701234567');
    const [opened] = await codec.decode([sealed!]);
    expect(text(opened!.metadata!.encoding)).toBe('json/plain');
    expect(JSON.parse(text(opened!.data))).toEqual({ phone: '+46701234567' });
  });

  it('uses a fresh IV each time: the same value never seals the same', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const [a, b] = await codec.encode([json('x'), json('x')]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: the new key seals, the old still opens; without the old key its payloads are refused', async () => {
    const [old] = await new EncryptionCodec(parsePayloadKeys(k1)).encode([json('old')]);
    const rotated = new EncryptionCodec(parsePayloadKeys(`${k1},${k2}`, 'k2'));
    const [fresh] = await rotated.encode([json('new')]);
    expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('k2');
    expect((await rotated.decode([old!, fresh!])).map((p) => text(p.data))).toEqual(['"old"', '"new"']);
    await expect(new EncryptionCodec(parsePayloadKeys(k2)).decode([old!])).rejects.toThrow(PayloadKeyUnknownError);
  });

  it('refuses a payload altered, or passed off under another key id', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(`${k1},${k2}`, 'k1'));
    const [sealed] = await codec.encode([json('x')]);
    const altered = Buffer.from(sealed!.data!);
    altered[20]! ^= 1;
    await expect(codec.decode([{ ...sealed!, data: altered }])).rejects.toThrow();
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: new TextEncoder().encode('k2') } };
    await expect(codec.decode([relabelled])).rejects.toThrow();
  });

  it('passes through payloads written before encryption', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(k1));
    const plain = json({ a: 1 });
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('PAYLOAD_KEYS and PAYLOAD_KEY_ID', () => {
  const key = newPayloadKey('k1');
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('takes one key, or several with the one that encrypts named', () => {
    expect(problems({ PAYLOAD_KEYS: key })).toBe('');
    expect(problems({ PAYLOAD_KEYS: `${key},${newPayloadKey('k2')}`, PAYLOAD_KEY_ID: 'k2' })).toBe('');
    expect(parsePayloadKeys(key).currentId).toBe('k1');
  });

  it('stops the process with the variable named for a bad list', () => {
    expect(problems({ PAYLOAD_KEYS: 'k1:c2hvcnQ=' })).toMatch(/PAYLOAD_KEYS: key k1 must be 32 bytes/);
    expect(problems({ PAYLOAD_KEYS: 'no-colon' })).toMatch(/PAYLOAD_KEYS: each key is <id>:<base64>/);
    expect(problems({ PAYLOAD_KEYS: `${key},${key}` })).toMatch(/PAYLOAD_KEYS: key k1 is listed twice/);
    expect(problems({ PAYLOAD_KEYS: `${key},${newPayloadKey('k2')}` })).toMatch(/PAYLOAD_KEY_ID: with more than one key/);
    expect(problems({ PAYLOAD_KEYS: key, PAYLOAD_KEY_ID: 'k9' })).toMatch(/PAYLOAD_KEY_ID: PAYLOAD_KEY_ID k9 is not among the keys/);
    expect(problems({ PAYLOAD_KEY_ID: 'k1' })).toMatch(/PAYLOAD_KEY_ID: needs PAYLOAD_KEYS/);
  });
});
