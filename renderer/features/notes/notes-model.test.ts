import { describe, expect, it } from 'vitest';
import type { Note } from '../../../shared/domain/hypotheses';
import { parseDossierLink } from '../../app/navigation';
import { markdownLink } from './link-picker';
import { groupByFolder, notePatch } from './notes-panel';

const note = (id: number, title: string, folder: string): Note => ({ id, title, folder, body: '', author: 'a', createdUtc: '', updatedUtc: '' });

describe('notes', () => {
  it('groups notes by folder, top level first', () => {
    const groups = groupByFolder([note(1, 'b', 'ssh'), note(2, 'a', ''), note(3, 'c', 'apache'), note(4, 'd', 'ssh')]);
    expect(groups.map((g) => [g.folder, g.notes.map((n) => n.id)])).toEqual([['', [2]], ['apache', [3]], ['ssh', [1, 4]]]);
  });

  it('sends only the changed fields, never an empty title, folders normalised', () => {
    const saved = { title: 'T', body: 'B', folder: 'a/b' };
    expect(notePatch(saved, saved)).toEqual({});
    expect(notePatch({ ...saved, body: 'B2' }, saved)).toEqual({ body: 'B2' });
    expect(notePatch({ ...saved, title: '  ' }, saved)).toEqual({});
    expect(notePatch({ ...saved, title: ' New ' }, saved)).toEqual({ title: 'New' });
    expect(notePatch({ ...saved, folder: ' a / b ' }, saved)).toEqual({});
    expect(notePatch({ ...saved, folder: 'a//c/' }, saved)).toEqual({ folder: 'a/c' });
  });

  it('writes in-app links whose text cannot break out of the link', () => {
    expect(markdownLink('event', 12, 'event #12')).toBe('[event #12](dossier:event/12)');
    const md = markdownLink('hypothesis', 4, 'a [tricky] label\\ with\nlines');
    expect(md).toBe('[a \\[tricky\\] label\\\\ with lines](dossier:hypothesis/4)');
    expect(parseDossierLink(/\((dossier:[^)]+)\)$/u.exec(md)?.[1] ?? '')).toEqual({ kind: 'hypothesis', id: 4 });
  });
});
