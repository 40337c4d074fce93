import { Button, Checkbox, Classes, InputGroup, Menu, MenuDivider, MenuItem, PopoverNext, Spinner, Switch } from '@blueprintjs/core';
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { EvidenceItem } from '../../../shared/domain/evidence';
import type { Tag, TimelineFilter } from '../../../shared/domain/timeline';
import { addFilterValue, checkIpInput, FIELD_LABELS, parsePidInput, parseStatusInput, removeFilterValue, SEVERITY_NAMES, withoutField, type PickerField } from './filter-model';
import { useFacet, type FacetField } from './use-timeline-data';

type Props = Readonly<{
  casePath: string;
  filter: TimelineFilter;
  evidence: ReadonlyArray<EvidenceItem>;
  tags: ReadonlyArray<Tag>;
  onChange: (update: (f: TimelineFilter) => TimelineFilter) => void;
}>;

const FACETS: Partial<Record<PickerField, FacetField>> = {
  hosts: 'host',
  programs: 'program',
  kinds: 'kind',
  users: 'user',
  methods: 'method',
  srcIps: 'src_ip',
  statuses: 'status',
};

const FIELD_ORDER: ReadonlyArray<PickerField> = ['sourceKinds', 'evidenceIds', 'hosts', 'programs', 'kinds', 'severities', 'srcIps', 'users', 'statuses', 'methods', 'pids', 'tagIds'];

const FREE_TEXT_HINT: Partial<Record<PickerField, string>> = {
  srcIps: 'An IP or a CIDR range, e.g. 198.51.100.0/24 or 2001:db8::/32',
  statuses: 'A code (404) or a class (4xx)',
  pids: 'A process id',
};

type Option = Readonly<{ value: string | number; label: string; count?: number }>;

function countText(n: number | undefined): string | undefined {
  return n === undefined ? undefined : n.toLocaleString('en-US');
}

/** One field's values: suggestions with counts (from `timeline.facet` or the case), plus free text. */
function ValuePicker({ casePath, field, filter, evidence, tags, onChange }: Props & Readonly<{ field: PickerField }>) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const facetField = FACETS[field] ?? null;
  const facet = useFacet(casePath, withoutField(filter, field), facetField);
  const chosen = new Set(((filter[field] ?? []) as ReadonlyArray<string | number>).map(String));

  const options = useMemo<Option[]>(() => {
    switch (field) {
      case 'sourceKinds': {
        const counts = new Map<string, number>();
        for (const e of evidence) {
          counts.set(e.sourceKind, (counts.get(e.sourceKind) ?? 0) + e.lines);
        }
        return [...counts].sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ value, label: value, count }));
      }
      case 'evidenceIds':
        return evidence.map((e) => ({ value: e.id, label: e.path, count: e.lines }));
      case 'severities':
        return SEVERITY_NAMES.map((s) => ({ value: s, label: s }));
      case 'tagIds':
        return tags.map((t) => ({ value: t.id, label: t.name, count: t.count }));
      case 'statuses':
        return [...['2xx', '3xx', '4xx', '5xx'].map((c) => ({ value: c, label: `${c} (class)` })), ...(facet.data?.values ?? []).map((v) => ({ value: Number(v.value), label: v.value, count: v.count }))];
      case 'pids':
        return [];
      default:
        return (facet.data?.values ?? []).map((v) => ({ value: v.value, label: v.value, count: v.count }));
    }
  }, [field, evidence, tags, facet.data]);

  const needle = text.trim().toLowerCase();
  const shown = needle === '' ? options : options.filter((o) => o.label.toLowerCase().includes(needle));
  const freeText = field !== 'sourceKinds' && field !== 'evidenceIds' && field !== 'severities' && field !== 'tagIds';

  function toggle(value: string | number): void {
    onChange((f) => (chosen.has(String(value)) ? removeFilterValue(f, field, value) : addFilterValue(f, field, value)));
  }

  function addTyped(): void {
    const value = text.trim();
    if (value === '') {
      return;
    }
    let parsed: string | number | null = value;
    let message: string | null = null;
    if (field === 'srcIps') {
      message = checkIpInput(value);
    } else if (field === 'statuses') {
      parsed = parseStatusInput(value);
      message = parsed === null ? `"${value}" is not an HTTP status (404) or class (4xx).` : null;
    } else if (field === 'pids') {
      parsed = parsePidInput(value);
      message = parsed === null ? `"${value}" is not a process id.` : null;
    }
    setProblem(message);
    if (message === null && parsed !== null) {
      const v = parsed;
      onChange((f) => addFilterValue(f, field, v));
      setText('');
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (freeText) {
        addTyped();
      } else if (shown.length === 1 && shown[0] !== undefined) {
        toggle(shown[0].value);
      }
    }
  }

  return (
    <div className="dossier-tl-picker" data-testid={`picker-${field}`}>
      <InputGroup
        size="small"
        autoFocus
        leftIcon={freeText ? 'add' : 'search'}
        placeholder={FREE_TEXT_HINT[field] ?? (freeText ? `${FIELD_LABELS[field]}: type a value, Enter to add` : `Find a ${FIELD_LABELS[field].toLowerCase()}`)}
        aria-label={`${FIELD_LABELS[field]} value`}
        value={text}
        intent={problem !== null ? 'danger' : 'none'}
        onChange={(e) => {
          setText(e.target.value);
          setProblem(null);
        }}
        onKeyDown={onKeyDown}
        rightElement={freeText ? <Button size="small" variant="minimal" icon="arrow-right" aria-label={`Add ${FIELD_LABELS[field]}`} onClick={addTyped} /> : undefined}
      />
      {problem !== null ? (
        <div role="alert" className="dossier-tl-picker-problem">
          {problem}
        </div>
      ) : null}
      <Menu size="small" role="listbox" className="dossier-tl-picker-list" aria-label={`${FIELD_LABELS[field]} suggestions`}>
        {facet.isFetching && options.length === 0 ? <MenuItem roleStructure="listoption" disabled text={<Spinner size={14} />} /> : null}
        {shown.slice(0, 200).map((o) => (
          <MenuItem
            key={String(o.value)}
            roleStructure="listoption"
            selected={chosen.has(String(o.value))}
            text={<span className="dossier-tl-picker-value">{o.label}</span>}
            label={countText(o.count)}
            shouldDismissPopover={false}
            onClick={() => toggle(o.value)}
          />
        ))}
        {!facet.isFetching && shown.length === 0 ? <MenuItem roleStructure="listoption" disabled text={freeText ? 'No suggestions: type a value and press Enter' : 'Nothing to choose'} /> : null}
      </Menu>
    </div>
  );
}

/** "Add filter": a field list and, for the chosen field, its values with counts; switches for tagged/starred/untimed. */
export function AddFilter(props: Props) {
  const [field, setField] = useState<PickerField>('srcIps');
  const { filter, onChange } = props;
  const content = (
    <div className="dossier-tl-addfilter" data-testid="add-filter">
      <div className="dossier-tl-addfilter-fields">
        <Menu size="small" aria-label="Filter fields">
          {FIELD_ORDER.map((f) => (
            <MenuItem key={f} text={FIELD_LABELS[f]} active={f === field} shouldDismissPopover={false} onClick={() => setField(f)} />
          ))}
          <MenuDivider />
        </Menu>
        <div className="dossier-tl-addfilter-switches">
          <Switch label="Tagged only" checked={filter.tagged === true} onChange={(e) => onChange((f) => ({ ...f, tagged: e.currentTarget.checked }))} />
          <Switch label="Starred only" checked={filter.starred === true} onChange={(e) => onChange((f) => ({ ...f, starred: e.currentTarget.checked }))} />
          <Checkbox
            className={Classes.TEXT_SMALL}
            label="Lines without time"
            checked={filter.includeUntimed === true}
            onChange={(e) => onChange((f) => ({ ...f, includeUntimed: e.currentTarget.checked }))}
          />
        </div>
      </div>
      <ValuePicker key={field} {...props} field={field} />
    </div>
  );
  return (
    <PopoverNext content={content} placement="bottom-start" arrow={false} animation="minimal">
      <Button size="small" icon="filter" text="Add filter" endIcon="caret-down" data-testid="add-filter-button" />
    </PopoverNext>
  );
}
