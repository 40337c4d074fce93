import { describe, expect, it } from 'vitest';
import { cancelNote } from './ingest-progress';

describe('the note of a cancelled ingest', () => {
  it('speaks of the interrupted file only when one was cut short', () => {
    expect(cancelNote([{ status: 'complete' }, { status: 'cancelled' }])).toMatch(/interrupted file is marked cancelled/u);
    expect(cancelNote([{ status: 'partial' }])).toMatch(/interrupted file/u);
    expect(cancelNote([{ status: 'complete' }, { status: 'complete' }])).toMatch(/^The cancel came between two files/u);
    expect(cancelNote([])).toMatch(/between two files/u);
  });
});
