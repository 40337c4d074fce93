/** Hostile notes, hypotheses and findings for report tests (what the other areas will hand over). */
import type { Finding } from '../../../../shared/domain/findings';
import type { Hypothesis, Note } from '../../../../shared/domain/hypotheses';
import type { ReportInputOverrides } from '../report-inputs';

export const HOSTILE = {
  script: '<script>alert("pwned")</script>',
  img: '<img src=x onerror=alert(1)>',
  style: '</style><h1>style escape</h1>',
  ansi: '\u001b[31mRED\u001b[0m',
  cjk: '攻击者上传了网页木马',
  url: `http://evil.example/${'a'.repeat(10_240)}`,
} as const;

/** The ANSI text as the report shows it: control characters as visible \xNN. */
export const ANSI_SHOWN = '\\x1b[31mRED\\x1b[0m';

export const HOSTILE_NOTE: Note = {
  id: 7,
  title: `Summary ${HOSTILE.script}`,
  body: `# Heading ${HOSTILE.img}\n\nThe attacker sent ${HOSTILE.style} and ${HOSTILE.ansi}.\n\n- ${HOSTILE.cjk}\n- [click me](javascript:alert(1)) ![tracker](http://evil.example/t.png)\n\n\`\`\`\n${HOSTILE.script}\n\`\`\`\n\n${HOSTILE.url}\n`,
  folder: 'triage',
  author: 'analyst',
  createdUtc: '2024-03-16T10:00:00.000Z',
  updatedUtc: '2024-03-16T11:00:00.000Z',
};

export const HOSTILE_HYPOTHESES: Hypothesis[] = [
  {
    id: 1,
    statement: 'The attacker gained a shell through the upload form',
    rationale: `Seen in the access log: ${HOSTILE.img}`,
    status: 'supported',
    confidence: 80,
    author: 'analyst',
    createdUtc: '2024-03-16T10:00:00.000Z',
    updatedUtc: '2024-03-16T12:00:00.000Z',
    predictions: [
      { id: 1, hypothesisId: 1, statement: `POST to upload.php ${HOSTILE.script}`, viewId: 3, viewName: 'uploads', expectation: { kind: 'at_least_one' }, count: 4, result: 'met' },
      { id: 2, hypothesisId: 1, statement: 'No restart before the upload', viewId: null, viewName: null, expectation: { kind: 'none' }, count: null, result: 'unknown' },
    ],
    evidence: [
      { id: 1, hypothesisId: 1, targetKind: 'event', targetId: '42', label: `${HOSTILE.cjk} ${HOSTILE.ansi}`, stance: 'supports', comment: HOSTILE.style, createdUtc: '2024-03-16T10:00:00.000Z', author: 'analyst' },
      { id: 2, hypothesisId: 1, targetKind: 'view', targetId: '3', label: 'uploads', stance: 'refutes', comment: 'timing is odd', createdUtc: '2024-03-16T10:00:00.000Z', author: 'analyst' },
    ],
  },
  {
    id: 2,
    statement: `Brute force ${HOSTILE.script} succeeded for root`,
    rationale: '',
    status: 'refuted',
    confidence: 10,
    author: 'analyst',
    createdUtc: '2024-03-16T10:00:00.000Z',
    updatedUtc: '2024-03-16T12:00:00.000Z',
    predictions: [],
    evidence: [],
  },
];

export const HOSTILE_FINDINGS: Finding[] = [
  {
    id: 1, rule: 'web.traversal', title: `Path traversal ${HOSTILE.img}`, description: HOSTILE.url, category: 'web_attack', severity: 'high',
    first: Date.UTC(2024, 2, 15, 10), last: Date.UTC(2024, 2, 15, 11), count: 12, srcIps: ['203.0.113.7'], users: [], review: 'confirmed',
    reviewComment: `=HYPERLINK("http://evil.example","x") ${HOSTILE.cjk}`, sampleEventIds: [1, 2],
  },
  {
    id: 2, rule: 'ssh.bruteforce', title: 'Unconfirmed brute force', description: '', category: 'brute_force', severity: 'medium',
    first: null, last: null, count: 3, srcIps: [], users: ['root'], review: 'false_positive', reviewComment: '', sampleEventIds: [],
  },
];

export const HOSTILE_OVERRIDES: ReportInputOverrides = {
  notes: () => [HOSTILE_NOTE],
  hypotheses: () => HOSTILE_HYPOTHESES,
  findings: () => HOSTILE_FINDINGS,
  charts: [
    { id: 'hostile-svg', title: `Injected ${HOSTILE.script}`, render: () => ({ kind: 'svg', svg: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' }) },
    { id: 'plain-svg', title: 'Plain drawing', render: () => ({ kind: 'svg', svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#123456"></rect></svg>' }) },
  ],
};
