import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../shared/api/errors';
import { createCaseOpener, findCaseFileArg } from './launch-args';

describe('findCaseFileArg', () => {
  const cwd = resolve('/home/analyst');
  it('finds the last .dossier argument, absolute', () => {
    expect(findCaseFileArg(['/opt/Dossier/dossier', '/cases/a.dossier'], cwd)).toBe('/cases/a.dossier');
    expect(findCaseFileArg(['electron', '.', 'rel/b.DOSSIER'], cwd)).toBe(join(cwd, 'rel', 'b.DOSSIER'));
    expect(findCaseFileArg(['x', '/a.dossier', '/b.dossier'], cwd)).toBe('/b.dossier');
  });
  it('accepts file:// URLs from desktop entries', () => {
    const file = resolve('/cases/with space.dossier');
    expect(findCaseFileArg(['x', pathToFileURL(file).href], cwd)).toBe(file);
  });
  it('ignores argv[0], switches and other files', () => {
    expect(findCaseFileArg(['/weird/app.dossier'], cwd)).toBeNull();
    expect(findCaseFileArg(['x', '--user-data-dir=/tmp/x.dossier', '-psn_0_1234'], cwd)).toBeNull();
    expect(findCaseFileArg(['x', '/etc/passwd', 'notes.txt'], cwd)).toBeNull();
  });
});

describe('createCaseOpener', () => {
  it('queues until the back end is attached, then opens (last request wins)', async () => {
    const calls: unknown[] = [];
    const errors: string[] = [];
    const opener = createCaseOpener((m) => errors.push(m));
    await opener.open('/a.dossier');
    await opener.open('/b.dossier');
    expect(calls).toEqual([]);
    await opener.attach(async (method, input): Promise<Envelope<unknown>> => {
      calls.push([method, input]);
      return { ok: true, value: {} };
    });
    await opener.open('/c.dossier');
    expect(calls).toEqual([
      ['cases.open', { path: '/b.dossier' }],
      ['cases.open', { path: '/c.dossier' }],
    ]);
    expect(errors).toEqual([]);
  });

  it('shows the back end error message', async () => {
    const errors: string[] = [];
    const opener = createCaseOpener((m) => errors.push(m));
    await opener.attach(async () => ({ ok: false, error: { code: 'case_locked', message: 'The case is open in another Dossier.' } }));
    await opener.open('/a.dossier');
    expect(errors).toEqual(['Dossier could not open "/a.dossier".\n\nThe case is open in another Dossier.']);
  });
});
