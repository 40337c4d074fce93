import type { HypothesisStatus, Stance } from '../../../shared/domain/hypotheses';
import { formatEventTime } from '../timeline/zoned-time';

const LABEL_MAX = 200;

/** The label an event link keeps (shown even if the event is gone): its time in the display zone and its message. */
export function eventLabel(ts: number | null, message: string, zone: string): string {
  const text = `${formatEventTime(ts, zone)} ${message.replace(/\s+/gu, ' ')}`.trim();
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text;
}

export const STATUS_INTENT: Readonly<Record<HypothesisStatus, 'none' | 'primary' | 'success' | 'danger' | 'warning'>> = {
  open: 'primary',
  supported: 'success',
  refuted: 'danger',
  inconclusive: 'warning',
};

export const STANCE_INTENT: Readonly<Record<Stance, 'success' | 'danger' | 'none'>> = {
  supports: 'success',
  refutes: 'danger',
  context: 'none',
};

export const STANCE_ICON: Readonly<Record<Stance, 'thumbs-up' | 'thumbs-down' | 'info-sign'>> = {
  supports: 'thumbs-up',
  refutes: 'thumbs-down',
  context: 'info-sign',
};
