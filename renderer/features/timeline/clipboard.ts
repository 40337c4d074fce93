/**
 * Puts text on the clipboard. The async Clipboard API first; where it is refused (the Electron
 * shell denies permission requests, and some pages lack focus) the old `execCommand('copy')` on a
 * hidden textarea, which works inside a user gesture.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  area.style.left = '-1000px';
  area.style.opacity = '0';
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.appendChild(area);
  try {
    area.select();
    if (!document.execCommand('copy')) {
      throw new Error('The clipboard is not available here.');
    }
  } finally {
    area.remove();
    active?.focus();
  }
}
