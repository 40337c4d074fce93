import { describe, expect, it } from 'vitest';
import { takeSessionToken } from './session-token';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
}

describe('takeSessionToken', () => {
  it('moves the token from the URL to storage and cleans the address bar', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const token = takeSessionToken({ href: 'http://127.0.0.1:4000/?token=abc&x=1#h', storage, replaceUrl: (u) => replaced.push(u) });
    expect(token).toBe('abc');
    expect(storage.map.get('dossier.token')).toBe('abc');
    expect(replaced).toEqual(['/?x=1#h']);
  });

  it('falls back to storage after a reload, and to null', () => {
    const storage = memoryStorage();
    expect(takeSessionToken({ href: 'http://127.0.0.1:4000/', storage, replaceUrl: () => undefined })).toBeNull();
    storage.setItem('dossier.token', 'kept');
    expect(takeSessionToken({ href: 'http://127.0.0.1:4000/', storage, replaceUrl: () => undefined })).toBe('kept');
  });
});
