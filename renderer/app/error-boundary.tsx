import { Button, NonIdealState } from '@blueprintjs/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

type Props = Readonly<{ children: ReactNode }>;
type State = Readonly<{ failed: boolean }>;

/**
 * Catches render errors anywhere below it and shows a friendly message, never a stack trace.
 * (A class: React has no hook for error boundaries.)
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // for developers only; the analyst sees the message below
    console.warn('[dossier] the window hit an unexpected error', error, info.componentStack);
    document.body.dataset['appState'] = 'error';
  }

  override render(): ReactNode {
    if (!this.state.failed) {
      return this.props.children;
    }
    return (
      <div className="dossier-fatal" role="alert" data-testid="fatal-error">
        <NonIdealState
          icon="warning-sign"
          title="Something went wrong in this window"
          description="Your case file is safe: every change is saved as you make it. Reload the window to continue."
          action={<Button intent="primary" icon="refresh" text="Reload" onClick={() => window.location.reload()} />}
        />
      </div>
    );
  }
}
