import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, placeholder } from '@codemirror/view';
import { useEffect, useRef } from 'react';

/** What the notes panel can do to the editor from outside (insert a link at the cursor). */
export type EditorHandle = Readonly<{ insert: (text: string) => void; focus: () => void }>;

type Props = Readonly<{
  /** The text when the editor is created (or when `docKey` changes); later edits come back through onChange. */
  value: string;
  /** A new key (another note) replaces the document; the same key keeps the editor's own state. */
  docKey: string | number;
  onChange: (text: string) => void;
  onReady?: (handle: EditorHandle | null) => void;
  ariaLabel: string;
}>;

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'transparent', color: 'inherit' },
  '.cm-scroller': { fontFamily: 'var(--dossier-mono)', lineHeight: '1.5' },
  '.cm-content': { padding: '8px 4px', caretColor: 'currentColor' },
  '&.cm-focused': { outline: 'none' },
  '.cm-activeLine': { backgroundColor: 'rgba(128, 128, 128, 0.08)' },
});

/**
 * A CodeMirror 6 Markdown editor as a React component. CodeMirror owns the document (React never
 * re-renders it per keystroke); the component only creates the view, reports changes, and swaps
 * the document when another note is opened. It lives in a shadow root so that its styles are
 * constructed style sheets, which the page's CSP (`style-src 'self'`) allows.
 */
export function MarkdownEditor({ value, docKey, onChange, onReady, ariaLabel }: Props) {
  const host = useRef<HTMLDivElement | null>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, value });
  useEffect(() => {
    latest.current = { onChange, value };
  });

  useEffect(() => {
    const el = host.current;
    if (el === null) {
      return undefined;
    }
    // CodeMirror injects its styles; in a document it would add a <style> element, which the
    // CSP refuses. In a shadow root it uses constructed style sheets (CSSOM), which it allows.
    const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    shadow.replaceChildren();
    const parent = document.createElement('div');
    parent.style.height = '100%';
    shadow.appendChild(parent);
    const v = new EditorView({
      parent,
      root: shadow,
      state: EditorState.create({
        doc: latest.current.value,
        extensions: [
          history(),
          drawSelection(),
          highlightActiveLine(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          markdown(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          EditorView.lineWrapping,
          placeholder('Write Markdown… links to events, views, hypotheses and findings come from “Insert link”.'),
          EditorView.contentAttributes.of({ 'aria-label': ariaLabel, 'data-testid': 'note-editor-content' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) {
              latest.current.onChange(u.state.doc.toString());
            }
          }),
          theme,
        ],
      }),
    });
    view.current = v;
    onReady?.({
      insert: (text) => {
        const { from, to } = v.state.selection.main;
        v.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length }, scrollIntoView: true });
        v.focus();
      },
      focus: () => v.focus(),
    });
    return () => {
      onReady?.(null);
      v.destroy();
      view.current = null;
    };
    // a new editor per document: history and selection belong to one note
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [docKey]);

  return <div ref={host} className="dossier-md-editor" data-testid="note-editor" />;
}
