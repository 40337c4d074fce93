/**
 * Which page each named destination of a PDF is on. Chromium writes one named destination per
 * `id` an internal link points to (the report's table of contents links to `#sec-<id>`), in the
 * catalog's `/Dests` dictionary, and the page tree as plain (uncompressed) objects. Reading them
 * gives the table of contents its page numbers in a second print. Total: anything unexpected
 * (object streams, another producer, a damaged file) gives an empty map, never an error.
 */

type Objects = ReadonlyMap<number, string>;

/** The dictionary text of every `N 0 obj … endobj` (streams cut off at `stream`). */
function readObjects(pdf: string): Objects {
  const out = new Map<number, string>();
  const re = /(?:^|[\r\n])(\d+) 0 obj\b/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(pdf)) !== null) {
    const start = m.index + m[0].length;
    const end = pdf.indexOf('endobj', start);
    if (end < 0) {
      break;
    }
    let body = pdf.slice(start, end);
    const stream = body.search(/\bstream[\r\n]/u);
    if (stream >= 0) {
      body = body.slice(0, stream);
    }
    out.set(Number(m[1]), body);
    re.lastIndex = end;
  }
  return out;
}

function ref(dict: string, key: string): number | null {
  const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`, 'u').exec(dict);
  return m === null ? null : Number(m[1]);
}

/** Page object numbers in document order (the page tree walked depth first). */
function pageOrder(objects: Objects, root: number): number[] {
  const pages: number[] = [];
  const seen = new Set<number>();
  const walk = (n: number, depth: number): void => {
    const dict = objects.get(n);
    if (dict === undefined || seen.has(n) || depth > 64) {
      return;
    }
    seen.add(n);
    if (/\/Type\s*\/Pages\b/u.test(dict)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/u.exec(dict)?.[1] ?? '';
      for (const k of kids.matchAll(/(\d+)\s+0\s+R/gu)) {
        walk(Number(k[1]), depth + 1);
      }
    } else if (/\/Type\s*\/Page\b/u.test(dict)) {
      pages.push(n);
    }
  };
  walk(root, 0);
  return pages;
}

/** PDF name text (`#xx` escapes) as a string. */
function pdfName(raw: string): string {
  return raw.replace(/#([0-9a-f]{2})/giu, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Named destination → page number (1-based). */
export function namedDestinationPages(bytes: Uint8Array): Map<string, number> {
  const result = new Map<string, number>();
  try {
    const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const objects = readObjects(pdf);
    let catalog: string | undefined;
    for (const dict of objects.values()) {
      if (/\/Type\s*\/Catalog\b/u.test(dict)) {
        catalog = dict;
      }
    }
    if (catalog === undefined) {
      return result;
    }
    const pagesRoot = ref(catalog, 'Pages');
    if (pagesRoot === null) {
      return result;
    }
    const order = pageOrder(objects, pagesRoot);
    const index = new Map(order.map((n, i) => [n, i + 1]));
    const destsRef = ref(catalog, 'Dests');
    const dests = destsRef === null ? /\/Dests\s*(<<[\s\S]*?>>)/u.exec(catalog)?.[1] : objects.get(destsRef);
    if (dests === undefined) {
      return result;
    }
    for (const m of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+0\s+R/gu)) {
      const page = index.get(Number(m[2]));
      if (page !== undefined && m[1] !== undefined) {
        result.set(pdfName(m[1]), page);
      }
    }
  } catch {
    result.clear();
  }
  return result;
}
