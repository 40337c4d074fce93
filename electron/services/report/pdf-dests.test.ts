import { describe, expect, it } from 'vitest';
import { namedDestinationPages } from './pdf-dests';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A small PDF as Chromium writes it: catalog, a two-level page tree, the /Dests dictionary, a stream. */
const PDF = `%PDF-1.4
1 0 obj
<</Type /Catalog
/Pages 2 0 R
/Dests 9 0 R>>
endobj
2 0 obj
<</Type /Pages
/Count 3
/Kids [3 0 R 4 0 R]>>
endobj
3 0 obj
<</Type /Pages
/Parent 2 0 R
/Count 2
/Kids [5 0 R 6 0 R]>>
endobj
4 0 obj
<</Type /Pages
/Parent 2 0 R
/Count 1
/Kids [7 0 R]>>
endobj
5 0 obj
<</Type /Page
/Parent 3 0 R
/Contents 8 0 R>>
endobj
6 0 obj
<</Type /Page
/Parent 3 0 R>>
endobj
7 0 obj
<</Type /Page
/Parent 4 0 R>>
endobj
8 0 obj
<</Length 20>> stream
1 0 obj endobj junk
endstream
endobj
9 0 obj
<</sec-summary [6 0 R /XYZ 0 841.91998 0]
/sec-key_events [7 0 R /XYZ 0 841.91998 0]
/sec#2Dodd [5 0 R /XYZ 0 841.91998 0]
/sec-nowhere [99 0 R /XYZ 0 0 0]>>
endobj
trailer
<</Root 1 0 R>>
%%EOF
`;

describe('named destinations of a PDF', () => {
  it('gives the page of each destination, walking a nested page tree in order', () => {
    const pages = namedDestinationPages(enc(PDF));
    expect(Object.fromEntries(pages)).toEqual({ 'sec-summary': 2, 'sec-key_events': 3, 'sec-odd': 1 });
  });

  it('reads an inline /Dests dictionary too', () => {
    const inline = PDF.replace('/Dests 9 0 R', '/Dests <</sec-a [7 0 R /Fit]>>');
    expect(Object.fromEntries(namedDestinationPages(enc(inline)))).toEqual({ 'sec-a': 3 });
  });

  it('is total: no catalog, no pages, no destinations, a loop in the page tree or junk give what can be read', () => {
    expect(namedDestinationPages(enc('')).size).toBe(0);
    expect(namedDestinationPages(enc('%PDF-1.7\n\x00\xff garbage')).size).toBe(0);
    expect(namedDestinationPages(enc(PDF.replace('/Dests 9 0 R', ''))).size).toBe(0);
    expect(namedDestinationPages(enc(PDF.replace('/Pages 2 0 R', ''))).size).toBe(0);
    const loop = PDF.replace('/Kids [7 0 R]', '/Kids [2 0 R 7 0 R]');
    expect(namedDestinationPages(enc(loop)).get('sec-key_events')).toBe(3);
    expect(namedDestinationPages(enc(PDF.slice(0, PDF.indexOf('9 0 obj')))).size).toBe(0);
  });
});
