import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RecentCase } from '../../shared/domain/case';

const MAX_RECENT = 12;

type Stored = Readonly<{ path: string; name: string; openedUtc: string }>;

/** The recent-cases list, kept as JSON in the user data folder (never inside a case or evidence folder). */
export function createRecentCases(userDataDir: string) {
  const file = join(userDataDir, 'recent-cases.json');

  function read(): Stored[] {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!Array.isArray(parsed)) {
        return [];
      }
      return parsed.filter(
        (x): x is Stored => typeof x === 'object' && x !== null && typeof x.path === 'string' && typeof x.name === 'string' && typeof x.openedUtc === 'string',
      );
    } catch {
      return [];
    }
  }

  function write(list: ReadonlyArray<Stored>): void {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(list, null, 2));
    renameSync(tmp, file);
  }

  function list(): RecentCase[] {
    return read().map((r) => ({ ...r, exists: existsSync(r.path) }));
  }

  function remember(path: string, name: string, openedUtc: string): void {
    write([{ path, name, openedUtc }, ...read().filter((r) => r.path !== path)].slice(0, MAX_RECENT));
  }

  function forget(path: string): RecentCase[] {
    write(read().filter((r) => r.path !== path));
    return list();
  }

  return { list, remember, forget };
}
export type RecentCases = ReturnType<typeof createRecentCases>;
