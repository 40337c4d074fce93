import 'normalize.css/normalize.css';
import '@blueprintjs/core/lib/css/blueprint.css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient, createApiEvents } from './api/client';
import { selectTransport } from './api/select-transport';
import { App, NoBackend } from './app/app';
import { applyStoredTheme } from './app/theme';

function start(): void {
  const container = document.getElementById('root');
  if (container === null) {
    throw new Error('index.html has no #root');
  }
  applyStoredTheme();
  const root = createRoot(container);
  const choice = selectTransport();
  if (!choice.ok) {
    document.body.dataset['appState'] = 'error';
    root.render(<NoBackend reason={choice.reason} />);
    return;
  }
  const services = { api: createApiClient(choice.transport), events: createApiEvents(choice.transport), transport: choice.transport.kind };
  root.render(
    <StrictMode>
      <App services={services} />
    </StrictMode>,
  );
}

start();
