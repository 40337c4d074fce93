import { describe, expect, it } from 'vitest';
import { dossierLink, hashFor, hashNumber, parseDossierLink, sectionOfHash } from './navigation';

describe('in-app links', () => {
  it('parses only dossier:<kind>/<id>', () => {
    expect(parseDossierLink('dossier:event/123')).toEqual({ kind: 'event', id: 123 });
    expect(parseDossierLink('dossier:hypothesis/4')).toEqual({ kind: 'hypothesis', id: 4 });
    expect(parseDossierLink('dossier:view/2')).toEqual({ kind: 'view', id: 2 });
    expect(parseDossierLink('dossier:finding/7')).toEqual({ kind: 'finding', id: 7 });
    for (const bad of ['javascript:alert(1)', 'dossier:event/0', 'dossier:event/1x', 'dossier:evil/1', 'http://dossier:event/1', 'dossier:event/1?x', 'DOSSIER:event/1', 'dossier:event/-1', '']) {
      expect(parseDossierLink(bad)).toBeNull();
    }
    expect(parseDossierLink(dossierLink({ kind: 'note', id: 9 }))).toEqual({ kind: 'note', id: 9 });
  });

  it('maps targets to addresses and back', () => {
    expect(hashFor({ kind: 'event', id: 5 })).toBe('#/timeline?event=5');
    expect(hashFor({ kind: 'view', id: 2 })).toBe('#/timeline?view=2');
    expect(hashFor({ kind: 'hypothesis', id: 4 })).toBe('#/hypotheses?id=4');
    expect(sectionOfHash('#/hypotheses?id=4')).toBe('hypotheses');
    expect(sectionOfHash('#/timeline')).toBe('timeline');
    expect(sectionOfHash('#timeline')).toBeNull();
    expect(hashNumber('#/hypotheses?id=4', 'id')).toBe(4);
    expect(hashNumber('#/timeline?event=abc', 'event')).toBeNull();
    expect(hashNumber('#/timeline', 'event')).toBeNull();
  });
});
