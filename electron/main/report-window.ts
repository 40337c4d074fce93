/**
 * Electron's side of report printing (report-pdf.ts): the hidden window and its request filter.
 * Its own session (partition) refuses every permission and every request but the report file.
 */
import { BrowserWindow, session } from 'electron';
import { REPORT_PRINT_PARTITION, reportWindowOptions, waitForFonts, type ReportPrintDeps } from './report-pdf';

export function electronReportPrintDeps(): ReportPrintDeps {
  return {
    guardSession: (allow) => {
      const printSession = session.fromPartition(REPORT_PRINT_PARTITION);
      printSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !allow(details.url) }));
    },
    createWindow: () => {
      const win = new BrowserWindow(reportWindowOptions());
      return {
        loadFile: (path) => win.loadFile(path),
        fontsLoaded: () =>
          waitForFonts(async (method, params) => {
            const cdp = win.webContents.debugger;
            if (!cdp.isAttached()) {
              cdp.attach('1.3');
            }
            return cdp.sendCommand(method, params);
          }),
        printToPDF: async (o) => new Uint8Array(await win.webContents.printToPDF(o)),
        destroy: () => win.destroy(),
      };
    },
  };
}
