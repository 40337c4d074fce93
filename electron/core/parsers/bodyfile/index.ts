/** Sleuth Kit bodyfiles (TSK 3 format: fls -m, UAC bodyfile/bodyfile.txt, dfImageTools). */
import type { LineParser, SourceKind } from '../../../../shared/domain/parsed';
import { parseBodyfileLine, sniffBodyfile } from './bodyfile-line';

export { parseBodyfileLine, splitBodyfileLine, sniffBodyfile, macbTimes, unescapeBodyfileName, type BodyfileEntry } from './bodyfile-line';

export const bodyfileFormat = {
  sourceKind: 'bodyfile' as SourceKind,
  label: 'Sleuth Kit bodyfile',
  parse: parseBodyfileLine as LineParser,
  sniffScore: sniffBodyfile,
};
