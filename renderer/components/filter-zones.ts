/** Case- and separator-insensitive search over IANA zone names: "new york", "zur", "america/new". */
export function filterZones(zones: ReadonlyArray<string>, query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/[\s/_]+/u)
    .filter((w) => w !== '');
  if (words.length === 0) {
    return [...zones];
  }
  const scored: Array<{ zone: string; score: number }> = [];
  for (const zone of zones) {
    const hay = zone.toLowerCase().replace(/_/gu, ' ');
    if (words.every((w) => hay.includes(w))) {
      const city = hay.slice(hay.lastIndexOf('/') + 1);
      const first = words[0] ?? '';
      scored.push({ zone, score: city.startsWith(first) ? 0 : hay.startsWith(first) ? 1 : 2 });
    }
  }
  return scored.sort((a, b) => a.score - b.score || a.zone.localeCompare(b.zone)).map((s) => s.zone);
}
