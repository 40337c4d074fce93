const STORAGE_KEY = 'dossier.token';

export type TokenEnvironment = Readonly<{
  href: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Replaces the address bar URL without navigating (history.replaceState). */
  replaceUrl: (url: string) => void;
}>;

/**
 * Browser mode opens `/?token=…`. The token moves to sessionStorage and leaves the address bar
 * (so it is not bookmarked or shared by accident); a reload then finds it in storage.
 */
export function takeSessionToken(env: TokenEnvironment): string | null {
  const url = new URL(env.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && fromUrl !== '') {
    env.storage.setItem(STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    env.replaceUrl(`${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  const stored = env.storage.getItem(STORAGE_KEY);
  return stored !== null && stored !== '' ? stored : null;
}
