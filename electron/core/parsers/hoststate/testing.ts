/** Test helper: runs a document parser over a whole text, as the ingest engine does. */
import type { SnapshotSummary } from '../../../../shared/domain/hoststate';
import type { ParsedEvent, ParseResult } from '../../../../shared/domain/parsed';
import type { DocumentContext, DocumentParser } from './document';

export type DocumentRun = Readonly<{ parser: DocumentParser; results: ParseResult[]; events: ParsedEvent[]; summary: SnapshotSummary; lines: string[] }>;

export function runDocument(open: (ctx: DocumentContext) => DocumentParser, text: string, mtimeMs = Date.UTC(2024, 2, 17, 12, 0, 0)): DocumentRun {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  const clean = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const parser = open({ headLines: clean.slice(0, 200), mtimeMs });
  const results = clean.map((l) => parser.parseLine(l));
  const events = results.flatMap((r) => (r.ok ? [r.event] : []));
  return { parser, results, events, summary: parser.finish(), lines: clean };
}
