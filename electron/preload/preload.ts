/**
 * The sandboxed preload (bundled to dist-electron/preload.cjs). It may only require `electron`;
 * it exposes `window.dossier` and never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('dossier', createBridge(ipcRenderer));
