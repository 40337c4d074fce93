import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { REPORT_BASE_CSS, REPORT_BASE_CSS_SHA256 } from './report-css';

describe('report base style sheet', () => {
  it('its recorded hash is its real hash, and the app CSP allows that hash only', () => {
    expect(createHash('sha256').update(REPORT_BASE_CSS, 'utf8').digest('base64')).toBe(REPORT_BASE_CSS_SHA256);
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src 'self' 'sha256-${REPORT_BASE_CSS_SHA256}'`);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('is fixed text: nothing from a case can be in it', () => {
    expect(REPORT_BASE_CSS).not.toContain('${');
    expect(REPORT_BASE_CSS).not.toMatch(/@font-face|@page|url\(/u);
  });
});
