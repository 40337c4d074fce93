/**
 * In-app navigation by address: every jump (a link in a note, an evidence link, an overview row)
 * sets `location.hash` to `#/<section>?…`; the workspace follows the section and the section
 * reads its own parameters (`#/timeline?event=12`, `#/timeline?view=3`, `#/hypotheses?id=4`,
 * `#/notes?id=2`, `#/findings?id=7`). Back and forward work, and a reload lands on the same place.
 */

export type LinkKind = 'event' | 'view' | 'hypothesis' | 'note' | 'finding';

export type NavTarget = Readonly<{ kind: LinkKind; id: number }>;

const LINK_KINDS: ReadonlyArray<LinkKind> = ['event', 'view', 'hypothesis', 'note', 'finding'];

/** The only link scheme Markdown may follow: `dossier:<kind>/<id>` (e.g. `dossier:event/123`). */
const DOSSIER_LINK = /^dossier:(event|view|hypothesis|note|finding)\/([1-9]\d{0,14})$/u;

/** `dossier:event/123` → { kind: 'event', id: 123 }; anything else (other schemes, extra text) → null. */
export function parseDossierLink(href: string): NavTarget | null {
  const m = DOSSIER_LINK.exec(href.trim());
  if (m === null) {
    return null;
  }
  const kind = m[1] as LinkKind;
  return LINK_KINDS.includes(kind) ? { kind, id: Number(m[2]) } : null;
}

export function dossierLink(target: NavTarget): string {
  return `dossier:${target.kind}/${target.id}`;
}

/** The section a target opens in. */
export function sectionFor(kind: LinkKind): string {
  switch (kind) {
    case 'event':
    case 'view':
      return 'timeline';
    case 'hypothesis':
      return 'hypotheses';
    case 'note':
      return 'notes';
    case 'finding':
      return 'findings';
  }
}

export function hashFor(target: NavTarget): string {
  switch (target.kind) {
    case 'event':
      return `#/timeline?event=${target.id}`;
    case 'view':
      return `#/timeline?view=${target.id}`;
    default:
      return `#/${sectionFor(target.kind)}?id=${target.id}`;
  }
}

/** `#/notes?id=2` → 'notes'; null when the hash is not an in-app address. */
export function sectionOfHash(hash: string): string | null {
  const m = /^#\/([a-z][a-z0-9-]{0,40})(?:\?|$)/u.exec(hash);
  return m === null ? null : (m[1] ?? null);
}

/** A positive integer parameter of an in-app address (`id`, `event`, `view`), or null. */
export function hashNumber(hash: string, name: string): number | null {
  const q = hash.indexOf('?');
  if (q < 0) {
    return null;
  }
  const value = new URLSearchParams(hash.slice(q + 1)).get(name);
  return value !== null && /^[1-9]\d{0,14}$/u.test(value) ? Number(value) : null;
}

/** Jumps to a target (a new history entry, so Back returns). */
export function navigateTo(target: NavTarget): void {
  window.location.hash = hashFor(target);
}

/** Goes to a section without parameters. */
export function navigateToSection(section: string): void {
  window.location.hash = `#/${section}`;
}
