import { HotkeysProvider, NonIdealState, Spinner } from '@blueprintjs/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { StartScreen } from '../features/cases/start-screen';
import { useAppInfo, useCaseEvents, useCurrentCase } from '../features/cases/use-cases';
import { Workspace } from '../features/workspace/workspace';
import { errorMessage } from '../api/api-error';
import { ApiProvider, type ApiServices } from './api-context';
import { AppNavbar } from './app-navbar';
import { useAppStateSignal } from './app-state';
import { CommandsProvider } from './commands';
import { ErrorBoundary } from './error-boundary';

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // a local back end: failures are real errors to show, not network blips to retry
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
}

function Shell() {
  useCaseEvents();
  const info = useAppInfo();
  const current = useCurrentCase();
  const failed = info.isError ? info.error : current.isError ? current.error : null;
  useAppStateSignal(failed !== null ? 'error' : info.isSuccess && current.isSuccess ? 'ready' : 'loading');

  if (failed !== null) {
    return <NonIdealState icon="offline" title="Dossier's back end is not answering" description={errorMessage(failed)} className="dossier-fatal" />;
  }
  if (!info.isSuccess || !current.isSuccess) {
    return <Spinner className="dossier-fatal" />;
  }
  return (
    <div className="dossier-app">
      <AppNavbar info={info.data} summary={current.data} />
      <div className="dossier-body">
        {current.data !== null ? <Workspace key={current.data.path} summary={current.data} /> : <StartScreen info={info.data} />}
      </div>
    </div>
  );
}

/** The whole renderer: providers around the shell. */
export function App({ services }: Readonly<{ services: ApiServices }>) {
  const [queryClient] = useState(createQueryClient);
  return (
    <ErrorBoundary>
      <ApiProvider services={services}>
        <QueryClientProvider client={queryClient}>
          <HotkeysProvider>
            <CommandsProvider>
              <Shell />
            </CommandsProvider>
          </HotkeysProvider>
        </QueryClientProvider>
      </ApiProvider>
    </ErrorBoundary>
  );
}

/** Shown instead of the app when the page cannot reach a back end at all (e.g. opened without its token). */
export function NoBackend({ reason }: Readonly<{ reason: string }>) {
  return <NonIdealState icon="lock" title="Dossier cannot connect" description={reason} className="dossier-fatal" />;
}
