/**
 * Opening a case file handed to Dossier by the OS: on the command line, via a second instance
 * (Windows/Linux file association) or `open-file` (macOS). Pure argv parsing plus a small queue,
 * since the OS may hand over a file before the back end has started.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dispatch } from '../services/registry/dispatch';

const CASE_FILE = /\.dossier$/iu;

/** The last `*.dossier` argument (a path or file:// URL), absolute; switches and argv[0] are ignored. */
export function findCaseFileArg(argv: ReadonlyArray<string>, cwd: string): string | null {
  for (let i = argv.length - 1; i >= 1; i -= 1) {
    const arg = argv[i];
    if (arg === undefined || arg.startsWith('-') || !CASE_FILE.test(arg)) {
      continue;
    }
    if (arg.startsWith('file://')) {
      try {
        return fileURLToPath(arg);
      } catch {
        continue;
      }
    }
    return isAbsolute(arg) ? arg : resolve(cwd, arg);
  }
  return null;
}

export type CaseOpener = Readonly<{
  /** Opens now, or as soon as the back end is attached (the last request wins). */
  open: (path: string) => Promise<void>;
  attach: (dispatch: Dispatch) => Promise<void>;
}>;

/** Opens a case through the back end (which then emits `cases.onChanged` to the windows). */
export function createCaseOpener(showError: (message: string) => void): CaseOpener {
  let dispatch: Dispatch | null = null;
  let pending: string | null = null;

  async function run(d: Dispatch, path: string): Promise<void> {
    const result = await d('cases.open', { path });
    if (!result.ok) {
      showError(`Dossier could not open "${path}".\n\n${result.error.message}`);
    }
  }

  return {
    open: async (path) => {
      if (dispatch === null) {
        pending = path;
        return;
      }
      await run(dispatch, path);
    },
    attach: async (d) => {
      dispatch = d;
      const path = pending;
      pending = null;
      if (path !== null) {
        await run(d, path);
      }
    },
  };
}
