import { Button, Card, H1, H5, Classes } from '@blueprintjs/core';
import type { AppInfo } from '../../../shared/api/contract';
import { useCommands } from '../../app/commands';
import { ErrorCallout } from '../../components/error-callout';
import { NewCaseForm } from './new-case-form';
import { OpenCaseForm } from './open-case-form';
import { RecentCases } from './recent-cases';
import { useOpenSample } from './use-cases';

/** What the analyst sees with no case open: create, open, recent cases, and the sample. */
export function StartScreen({ info }: Readonly<{ info: AppInfo }>) {
  const sample = useOpenSample();
  const { run, shortcutText } = useCommands();

  return (
    <div className="dossier-start" data-testid="start-screen">
      <header className="dossier-start-header">
        <div>
          <H1 className="dossier-start-title">Start an investigation</H1>
          <p className={Classes.TEXT_MUTED}>Offline investigation workbench for web-server incidents. Everything stays on this computer.</p>
        </div>
        {info.sampleCaseAvailable ? (
          <div className="dossier-start-sample">
            <Button
              size="large"
              intent="success"
              icon="lab-test"
              text="Open the sample case"
              loading={sample.isPending}
              onClick={() => sample.mutate()}
            />
            <span className={`${Classes.TEXT_SMALL} ${Classes.TEXT_MUTED}`}>A small synthetic incident to explore.</span>
          </div>
        ) : null}
      </header>
      <ErrorCallout error={sample.error} title="The sample case could not be opened" />
      <div className="dossier-start-columns">
        <Card compact className="dossier-start-card">
          <H5>New case</H5>
          <NewCaseForm info={info} />
        </Card>
        <div className="dossier-start-side">
          <Card compact className="dossier-start-card">
            <H5>Open case</H5>
            {info.nativeDialogs ? (
              <Button icon="folder-open" text="Open case…" title={shortcutText('case.open')} onClick={() => run('case.open')} />
            ) : (
              <OpenCaseForm />
            )}
          </Card>
          <Card compact className="dossier-start-card">
            <H5>Recent cases</H5>
            <RecentCases />
          </Card>
        </div>
      </div>
    </div>
  );
}
