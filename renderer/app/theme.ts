import { Classes } from '@blueprintjs/core';
import { useCallback, useEffect, useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'dossier.theme';
const listeners = new Set<() => void>();

function initialTheme(): Theme {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'light' || stored === 'dark') {
      return stored;
    }
  } catch {
    // storage may be unavailable; fall through to the system preference
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches === true ? 'dark' : 'light';
}

let current: Theme = initialTheme();

function setTheme(next: Theme): void {
  current = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted; still applied for this session
  }
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Applies the Blueprint dark class to <body> (so portals, dialogs and toasts follow). */
export function applyTheme(theme: Theme): void {
  document.body.classList.toggle(Classes.DARK, theme === 'dark');
  document.documentElement.style.colorScheme = theme;
}

export function useTheme(): Readonly<{ theme: Theme; toggleTheme: () => void }> {
  const theme = useSyncExternalStore(subscribe, () => current);
  useEffect(() => applyTheme(theme), [theme]);
  const toggleTheme = useCallback(() => setTheme(current === 'dark' ? 'light' : 'dark'), []);
  return { theme, toggleTheme };
}

/** Before the first render, so the window does not flash light before going dark. */
export function applyStoredTheme(): void {
  applyTheme(current);
}
