import type { Handlers } from '../../../../shared/api/contract';
import type { filesMethods } from '../../../../shared/api/methods/files';
import { FilesService } from '../../files-service';
import type { HandlerContext } from './context';

export type FilesHandlers = Pick<Handlers, keyof typeof filesMethods>;

/** Handlers of shared/api/methods/files.ts, built from the back end's services. */
export function createFilesHandlers(ctx: HandlerContext): FilesHandlers {
  const files = new FilesService(ctx.session);
  return {
    'files.changes': (input) => files.changes(input),
    'files.activity': (input) => files.activity(input),
    'files.strace': (input) => files.strace(input.limit),
  };
}
