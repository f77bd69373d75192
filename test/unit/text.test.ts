import { describe, expect, it } from 'vitest';
import { findUnstorableText, isStorableText } from '../../domain/text.js';

describe('isStorableText', () => {
  it.each([
    ['plain text', 'Ring after 5, please', true],
    ['a whole surrogate pair (an emoji)', 'ok \ud83d\ude00', true],
    ['other control characters', 'tab\tnew line\nbell\u0007', true],
    ['U+FFFD', '\ufffd', true],
    ['NUL', 'a\u0000b', false],
    ['a lone high surrogate', 'a\ud800b', false],
    ['a high surrogate at the end', 'a\ud83d', false],
    ['a lone low surrogate', '\ude00a', false],
    ['a pair in the wrong order', '\ude00\ud83d', false],
  ])('%s', (_, text, storable) => {
    expect(isStorableText(text)).toBe(storable);
  });
});

describe('findUnstorableText', () => {
  it('finds nothing in storable values of any shape', () => {
    expect(findUnstorableText({ comment: 'hej', n: 1, ok: true, none: null, list: ['a', { b: 'c' }], constructor: 'x' })).toBeNull();
    expect(findUnstorableText(undefined)).toBeNull();
    expect(findUnstorableText('')).toBeNull();
  });

  it.each([
    ['a bare string', 'a\u0000', ''],
    ['a top-level field', { phone: '+46', comment: 'x\u0000' }, 'comment'],
    ['a nested field', { action: 'close', filter: { status: 'Open', queue: '\ud800' } }, 'filter.queue'],
    ['a map value', { contactData: { x: 'y\udfff' } }, 'contactData.x'],
    ['an array item', { exceptions: [{ note: 'ok' }, { note: '\u0000' }] }, 'exceptions.1.note'],
    ['a key', { contactData: { 'a\u0000': 'y' } }, 'contactData.a\u0000'],
    ['a __proto__ key', JSON.parse('{"openingHours":{"__proto__":{}}}'), 'openingHours.__proto__'],
    ['a __proto__ key deep in an array', JSON.parse('[{"a":[{"__proto__":1}]}]'), '0.a.0.__proto__'],
  ])('names %s', (_, value, path) => {
    expect(findUnstorableText(value)).toBe(path);
  });

  it('names the first culprit in document order', () => {
    expect(findUnstorableText({ a: { b: '\u0000' }, c: '\u0000' })).toBe('a.b');
  });

  it('walks a value nested far deeper than the call stack would allow', () => {
    const deep = JSON.parse('['.repeat(100_000) + '"\\u0000"' + ']'.repeat(100_000));
    expect(findUnstorableText(deep)).toBe(Array(100_000).fill('0').join('.'));
  });
});
