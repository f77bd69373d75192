// Encrypts every payload Temporal stores (workflow and activity inputs and results, signals,
// updates, queries, memos): AES-256-GCM, each payload naming the key that sealed it, so that
// Temporal's database and its histories hold no phone number, name or comment in clear text.
// One key encrypts; every key listed still decrypts (rotation). Every Temporal client and worker
// of the service gets its data converter from `temporalDataConverter`, so none is missed.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

const ProtoPayload = proto.temporal.api.common.v1.Payload;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key naming the key a payload was sealed with. */
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface PayloadKeys {
  /** The key new payloads are encrypted with. */
  currentId: string;
  /** Every key that may still decrypt, by id; the current one among them. */
  keys: ReadonlyMap<string, Buffer>;
}

export const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** `<id>:<base64 of 32 bytes>,...`, as PAYLOAD_KEYS holds them; throws a message naming what is wrong. */
export function parsePayloadKeys(list: string, currentId?: string): PayloadKeys {
  const keys = new Map<string, Buffer>();
  for (const entry of list
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(id)) throw new Error(`each key is <id>:<base64>, the id of letters, digits, . _ - (at most 64)`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== KEY_BYTES || key.toString('base64') !== entry.slice(colon + 1))
      throw new Error(`key ${id} must be ${KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
    if (keys.has(id)) throw new Error(`key ${id} is listed twice`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('at least one key is needed');
  const current = currentId ?? (keys.size === 1 ? [...keys.keys()][0]! : undefined);
  if (current === undefined) throw new Error('with more than one key, PAYLOAD_KEY_ID names the one that encrypts');
  if (!keys.has(current)) throw new Error(`PAYLOAD_KEY_ID ${current} is not among the keys`);
  return { currentId: current, keys };
}

/** A fresh key list of one key, for a development machine's first start. */
export function newPayloadKey(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class PayloadKeyUnknownError extends Error {}

/**
 * Seals the whole payload (its metadata too: the encoding says what the data is) with a fresh
 * 96-bit IV per payload; the key id is the additional authenticated data, so a payload cannot be
 * passed off as sealed by another key. A payload that is not encrypted (written before the codec
 * was in place, or a recorded test history) is passed through as it is.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.keys.currentId;
    const key = this.keys.keys.get(id)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(utf8(id));
      const sealed = Buffer.concat([iv, cipher.update(ProtoPayload.encode(payload).finish()), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(id) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const id = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
      const key = this.keys.keys.get(id);
      if (!key) throw new PayloadKeyUnknownError(`payload encrypted with key "${id}", which is not in PAYLOAD_KEYS`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(utf8(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const clear = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return ProtoPayload.decode(clear) as Payload;
    });
  }
}

/** The data converter of every Temporal client and worker of the service. */
export function temporalDataConverter(keys: PayloadKeys): DataConverter & { payloadCodecs: [EncryptionCodec] } {
  return { payloadCodecs: [new EncryptionCodec(keys)] };
}
