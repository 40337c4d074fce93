import { createContext, useContext, type ReactNode } from 'react';
import type { Api } from '../../shared/api/contract';
import type { ApiEvents } from '../api/client';
import type { TransportKind } from '../api/transport';

export type ApiServices = Readonly<{ api: Api; events: ApiEvents; transport: TransportKind }>;

const ApiContext = createContext<ApiServices | null>(null);

export function ApiProvider(props: Readonly<{ services: ApiServices; children: ReactNode }>) {
  return <ApiContext.Provider value={props.services}>{props.children}</ApiContext.Provider>;
}

export function useApiServices(): ApiServices {
  const services = useContext(ApiContext);
  if (services === null) {
    throw new Error('useApiServices() outside <ApiProvider>');
  }
  return services;
}

export function useApi(): Api {
  return useApiServices().api;
}
