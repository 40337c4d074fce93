import type { CaseSession } from '../../case-session';
import type { IngestService } from '../../ingest-service';
import type { BackendPorts } from '../../ports/ports';
import type { TimelineService } from '../../timeline-service';

/** What an area's handlers may use: the services of the composition root and the host's ports. */
export type HandlerContext = Readonly<{
  ports: BackendPorts;
  session: CaseSession;
  ingest: IngestService;
  timeline: TimelineService;
}>;
