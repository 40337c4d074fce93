import './notes.css';
import { Alert, Button, Classes, Icon, InputGroup, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Note } from '../../../shared/domain/hypotheses';
import { navigateTo, navigateToSection } from '../../app/navigation';
import { toastError } from '../../app/toaster';
import { useHashNumber } from '../../app/use-hash-param';
import { ErrorCallout } from '../../components/error-callout';
import { formatInZone, formatUtc } from '../../components/format-time';
import { SafeMarkdown } from '../../components/safe-markdown';
import { AddToHypothesis } from '../hypotheses/add-to-hypothesis';
import { useCreateNote, useDeleteNote, useNotes, useUpdateNote } from '../hypotheses/use-hypotheses';
import type { SectionProps } from '../workspace/sections';
import { LinkPicker } from './link-picker';
import { MarkdownEditor, type EditorHandle } from './markdown-editor';

/** How long typing must pause before the note is saved. */
export const AUTOSAVE_MS = 700;

type SaveState = 'saved' | 'pending' | 'saving' | 'error';
type Draft = Readonly<{ title: string; body: string; folder: string }>;

/** Notes grouped by folder ('' first), each group sorted by title (the list comes sorted). */
export function groupByFolder(notes: ReadonlyArray<Note>): Array<{ folder: string; notes: Note[] }> {
  const groups = new Map<string, Note[]>();
  for (const n of notes) {
    const g = groups.get(n.folder) ?? [];
    g.push(n);
    groups.set(n.folder, g);
  }
  return [...groups].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))).map(([folder, list]) => ({ folder, notes: list }));
}

/** The fields of a draft that differ from what was saved (an empty title is never sent). */
export function notePatch(draft: Draft, saved: Draft): Partial<Draft> {
  const patch: { title?: string; body?: string; folder?: string } = {};
  if (draft.title.trim() !== '' && draft.title.trim() !== saved.title) {
    patch.title = draft.title.trim();
  }
  if (draft.body !== saved.body) {
    patch.body = draft.body;
  }
  const folder = draft.folder.split('/').map((p) => p.trim()).filter((p) => p !== '').join('/');
  if (folder !== saved.folder) {
    patch.folder = folder;
  }
  return patch;
}

function SaveIndicator({ state, savedAt, zone }: Readonly<{ state: SaveState; savedAt: string; zone: string }>) {
  const text =
    state === 'saving' ? 'Saving…' : state === 'pending' ? 'Unsaved changes' : state === 'error' ? 'Not saved' : `Saved ${formatInZone(savedAt, zone)}`;
  return (
    <span className={`dossier-note-save ${Classes.TEXT_SMALL} ${state === 'error' ? Classes.INTENT_DANGER : Classes.TEXT_MUTED}`} data-testid="note-save-state" data-state={state} title={`${formatUtc(savedAt)} UTC`}>
      {state === 'saving' ? <Spinner size={10} /> : <Icon icon={state === 'saved' ? 'tick' : state === 'error' ? 'error' : 'edit'} size={12} />} {text}
    </span>
  );
}

/** One note: title, folder, the Markdown editor beside its rendered preview, autosaved. */
function NoteEditor({ note, zone, onDeleted }: Readonly<{ note: Note; zone: string; onDeleted: () => void }>) {
  const update = useUpdateNote();
  const remove = useDeleteNote();
  const [title, setTitle] = useState(note.title);
  const [folder, setFolder] = useState(note.folder);
  const [body, setBody] = useState(note.body);
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<unknown>(null);
  const [savedAt, setSavedAt] = useState(note.updatedUtc);
  const [picking, setPicking] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const editor = useRef<EditorHandle | null>(null);
  const draft = useRef<Draft>({ title: note.title, body: note.body, folder: note.folder });
  const saved = useRef<Draft>({ title: note.title, body: note.body, folder: note.folder });
  const version = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { mutateAsync } = update;

  const save = useCallback(async (): Promise<void> => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const patch = notePatch(draft.current, saved.current);
    if (Object.keys(patch).length === 0) {
      setState(draft.current.title.trim() === '' ? 'pending' : 'saved');
      return;
    }
    const sent = version.current;
    setState('saving');
    try {
      const n = await mutateAsync({ id: note.id, ...patch });
      saved.current = { title: n.title, body: n.body, folder: n.folder };
      setSavedAt(n.updatedUtc);
      setError(null);
      setState(version.current === sent ? 'saved' : 'pending');
    } catch (e) {
      setError(e);
      setState('error');
    }
  }, [mutateAsync, note.id]);

  const change = useCallback(
    (part: Partial<Draft>) => {
      draft.current = { ...draft.current, ...part };
      version.current += 1;
      setState('pending');
      if (timer.current !== null) {
        clearTimeout(timer.current);
      }
      timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
    },
    [save],
  );

  // leaving the note (another note, another section) saves what is pending
  useEffect(
    () => () => {
      if (timer.current !== null) {
        void save();
      }
    },
    [save],
  );

  const onBody = useCallback(
    (text: string) => {
      setBody(text);
      change({ body: text });
    },
    [change],
  );
  const onReady = useCallback((h: EditorHandle | null) => {
    editor.current = h;
  }, []);

  return (
    <div className="dossier-note" data-testid="note" data-note-id={note.id}>
      <div className="dossier-note-head">
        <InputGroup
          className="dossier-note-title"
          aria-label="Title"
          value={title}
          placeholder="Title"
          maxLength={300}
          intent={title.trim() === '' ? 'warning' : 'none'}
          onChange={(e) => {
            setTitle(e.currentTarget.value);
            change({ title: e.currentTarget.value });
          }}
          data-testid="note-title"
        />
        <InputGroup
          className="dossier-note-folder"
          aria-label="Folder"
          leftIcon="folder-close"
          value={folder}
          placeholder="Folder (a/b)"
          maxLength={200}
          onChange={(e) => {
            setFolder(e.currentTarget.value);
            change({ folder: e.currentTarget.value });
          }}
          data-testid="note-folder"
        />
        <Button icon="link" text="Insert link" onClick={() => setPicking(true)} data-testid="note-insert-link" />
        <AddToHypothesis targetKind="note" targetId={String(note.id)} label={title.trim() === '' ? note.title : title.trim()} variant="minimal" text="As evidence…" />
        <Button icon="floppy-disk" variant="minimal" aria-label="Save now" title="Save now" onClick={() => void save()} disabled={state === 'saved'} />
        <Button icon="trash" variant="minimal" intent="danger" aria-label="Delete note" title="Delete note" onClick={() => setConfirmDelete(true)} />
      </div>
      <div className={`dossier-note-meta ${Classes.TEXT_SMALL} ${Classes.TEXT_MUTED}`}>
        <span data-testid="note-author">by {note.author}</span> · created {formatInZone(note.createdUtc, zone)} · <SaveIndicator state={state} savedAt={savedAt} zone={zone} />
      </div>
      {error !== null ? <ErrorCallout error={error} title="The note was not saved" /> : null}
      <div className="dossier-note-split">
        <div className="dossier-note-pane">
          <MarkdownEditor value={note.body} docKey={note.id} onChange={onBody} onReady={onReady} ariaLabel={`Note ${note.title}`} />
        </div>
        <div className="dossier-note-pane dossier-note-preview" aria-label="Preview" data-testid="note-preview">
          {body.trim() === '' ? <span className={Classes.TEXT_MUTED}>The preview shows here.</span> : <SafeMarkdown text={body} />}
        </div>
      </div>
      <LinkPicker isOpen={picking} onClose={() => setPicking(false)} onInsert={(md) => editor.current?.insert(md)} excludeNote={note.id} />
      <Alert
        isOpen={confirmDelete}
        intent="danger"
        icon="trash"
        confirmButtonText="Delete note"
        cancelButtonText="Keep it"
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          if (timer.current !== null) {
            clearTimeout(timer.current);
            timer.current = null;
          }
          remove.mutate(note.id, { onSuccess: onDeleted, onError: (e) => void toastError(e, 'The note was not deleted') });
        }}
      >
        Delete “{note.title}”? The audit log keeps its last text.
      </Alert>
    </div>
  );
}

/** Case notes: a list by folder, and the selected note in a Markdown editor with its preview. */
export function NotesPanel({ summary }: SectionProps) {
  const notes = useNotes();
  const create = useCreateNote();
  const hashId = useHashNumber('id');
  const list = useMemo(() => notes.data ?? [], [notes.data]);
  const selected = list.find((n) => n.id === hashId) ?? list[0] ?? null;
  const groups = useMemo(() => groupByFolder(list), [list]);

  function newNote(): void {
    create.mutate(
      { title: 'Untitled note', body: '', folder: selected?.folder ?? '' },
      { onSuccess: (n) => navigateTo({ kind: 'note', id: n.id }), onError: (e) => void toastError(e, 'No note was created') },
    );
  }

  if (notes.isPending) {
    return <Spinner className="dossier-section-spinner" />;
  }
  if (notes.isError) {
    return (
      <div className="dossier-panel">
        <ErrorCallout error={notes.error} title="The notes could not be read" />
      </div>
    );
  }

  return (
    <div className="dossier-notes" data-testid="notes">
      <aside className="dossier-notes-list" aria-label="Notes">
        <div className="dossier-notes-list-head">
          <strong>Notes</strong>
          <Tag minimal round>
            {list.length}
          </Tag>
          <span className="dossier-grow" />
          <Button size="small" icon="plus" intent="primary" text="New note" onClick={newNote} loading={create.isPending} data-testid="note-new" />
        </div>
        {groups.map((g) => (
          <div key={g.folder} className="dossier-notes-folder">
            {g.folder !== '' ? (
              <div className={`dossier-notes-folder-name ${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>
                <Icon icon="folder-close" size={12} /> {g.folder}
              </div>
            ) : null}
            <ul>
              {g.notes.map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    className={n.id === selected?.id ? 'dossier-notes-item dossier-notes-item-active' : 'dossier-notes-item'}
                    aria-current={n.id === selected?.id ? 'true' : undefined}
                    onClick={() => navigateTo({ kind: 'note', id: n.id })}
                    data-testid="note-item"
                  >
                    <span className="dossier-notes-item-title">{n.title}</span>
                    <span className={`${Classes.TEXT_MUTED} ${Classes.TEXT_SMALL}`}>{formatInZone(n.updatedUtc, summary.timeZone)}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </aside>
      <section className="dossier-notes-main">
        {selected === null ? (
          <NonIdealState
            icon="manual"
            title="No notes yet"
            description="Notes hold your reasoning: what you suggest, and how you checked it. Link events, saved views, hypotheses and findings from inside a note."
            action={<Button icon="plus" intent="primary" text="New note" onClick={newNote} />}
          />
        ) : (
          <NoteEditor key={selected.id} note={selected} zone={summary.timeZone} onDeleted={() => navigateToSection('notes')} />
        )}
      </section>
    </div>
  );
}
