import Markdown from 'react-markdown';

/**
 * Markdown written by analysts (comments, notes), rendered as React elements: raw HTML in the text
 * is shown as the literal text it is (never parsed into the page), images are never loaded (no
 * remote content), and links are shown as their text (a log-derived URL is never followed).
 */
const ALLOWED = ['p', 'em', 'strong', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'del', 'inlineCode'];

export function SafeMarkdown({ text }: Readonly<{ text: string }>) {
  return (
    <Markdown allowedElements={ALLOWED} unwrapDisallowed>
      {text}
    </Markdown>
  );
}
