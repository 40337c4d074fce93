import './safe-markdown.css';
import Markdown, { type Components } from 'react-markdown';
import { navigateTo, parseDossierLink, type NavTarget } from '../app/navigation';

/**
 * Markdown written by analysts (comments, notes), rendered as React elements: raw HTML in the text
 * is shown as the literal text it is (never parsed into the page), images are never loaded (no
 * remote content), and links are shown as their text (a log-derived URL is never followed) — except
 * in-app links `dossier:<kind>/<id>` (event, view, hypothesis, note, finding), which become buttons
 * that jump inside Dossier. Every other scheme (javascript:, http:, data:, …) stays inert text.
 */
const ALLOWED = ['p', 'em', 'strong', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'del', 'inlineCode', 'a'];

/** Keeps only in-app link targets; every other URL becomes empty before rendering. */
function keepDossierLinks(url: string): string {
  return parseDossierLink(url) === null ? '' : url;
}

const TITLES: Readonly<Record<NavTarget['kind'], string>> = {
  event: 'Open event',
  view: 'Open saved view',
  hypothesis: 'Open hypothesis',
  note: 'Open note',
  finding: 'Open finding',
};

export function SafeMarkdown({ text, onLink }: Readonly<{ text: string; onLink?: (target: NavTarget) => void }>) {
  const components: Components = {
    a: ({ href, children }) => {
      const target = href === undefined ? null : parseDossierLink(href);
      if (target === null) {
        return <span className="dossier-md-inert">{children}</span>;
      }
      return (
        <button
          type="button"
          className="dossier-md-link"
          data-link={`${target.kind}/${target.id}`}
          title={`${TITLES[target.kind]} #${target.id}`}
          onClick={() => (onLink ?? navigateTo)(target)}
        >
          {children}
        </button>
      );
    },
  };
  return (
    <Markdown allowedElements={ALLOWED} unwrapDisallowed urlTransform={keepDossierLinks} components={components}>
      {text}
    </Markdown>
  );
}
