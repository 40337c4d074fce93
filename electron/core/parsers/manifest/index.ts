/** Hash manifests (md5sum, sha*sum, shasum, BSD md5 / --tag, md5sum -c results). */
import type { LineParser, SourceKind } from '../../../../shared/domain/parsed';
import { parseManifestLine, sniffManifest } from './manifest-line';

export { parseManifestLine, sniffManifest, algorithmByLength, unescapeGnuName, type HashAlgorithm } from './manifest-line';

export const manifestFormat = {
  sourceKind: 'hash_manifest' as SourceKind,
  label: 'Hash manifest (md5sum, sha*sum)',
  parse: parseManifestLine as LineParser,
  sniffScore: sniffManifest,
};
