import type { Handlers } from '../../../../shared/api/contract';
import type { filesMethods } from '../../../../shared/api/methods/files';
import type { HandlerContext } from './context';

export type FilesHandlers = Pick<Handlers, keyof typeof filesMethods>;

/** Handlers of shared/api/methods/files.ts, built from the back end's services. */
export function createFilesHandlers(_ctx: HandlerContext): FilesHandlers {
  return {};
}
