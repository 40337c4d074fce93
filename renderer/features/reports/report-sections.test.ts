import { describe, expect, it } from 'vitest';
import { chartsOption, chosenSections, defaultChoices, isChartChosen, moveChoice, reportFileName, toggleChart, toggleChoice } from './report-sections';

describe('report section choices', () => {
  it('starts with every section on, in the default order', () => {
    expect(chosenSections(defaultChoices())).toEqual(['cover', 'toc', 'summary', 'evidence', 'findings', 'hypotheses', 'key_events', 'charts', 'notes', 'appendix']);
  });

  it('moves up and down, and ignores moves past either end', () => {
    const list = defaultChoices();
    expect(chosenSections(moveChoice(list, 3, -1)).slice(0, 4)).toEqual(['cover', 'toc', 'evidence', 'summary']);
    expect(chosenSections(moveChoice(list, 0, -1))).toEqual(chosenSections(list));
    expect(chosenSections(moveChoice(list, list.length - 1, 1))).toEqual(chosenSections(list));
    expect(chosenSections(moveChoice(list, 0, 1)).slice(0, 2)).toEqual(['toc', 'cover']);
  });

  it('leaves out sections that are switched off', () => {
    const list = toggleChoice(toggleChoice(defaultChoices(), 'toc', false), 'notes', false);
    expect(chosenSections(list)).not.toContain('toc');
    expect(chosenSections(list)).not.toContain('notes');
    expect(chosenSections(toggleChoice(list, 'toc', true))).toContain('toc');
  });

  it('makes a safe file name from the case name', () => {
    expect(reportFileName('a/b:c "d"', 'pdf', new Date(2024, 0, 2, 3, 4))).toBe('a_b_c _d_ report 20240102-0304.pdf');
    expect(reportFileName('', 'html', new Date(2024, 0, 2, 3, 4))).toBe('case report 20240102-0304.html');
  });

  it('chooses charts: all by default, then the ticked ones in the listed order, all again when every one is ticked', () => {
    const available = ['histogram', 'workers', 'restarts', 'tcp'];
    expect(chartsOption(null)).toEqual({});
    expect(isChartChosen(null, 'tcp')).toBe(true);
    const noWorkers = toggleChart(null, available, 'workers', false);
    expect(noWorkers).toEqual(['histogram', 'restarts', 'tcp']);
    expect(isChartChosen(noWorkers, 'workers')).toBe(false);
    const onlyTwo = toggleChart(toggleChart(noWorkers, available, 'histogram', false), available, 'restarts', true);
    expect(chartsOption(onlyTwo)).toEqual({ charts: ['restarts', 'tcp'] });
    expect(toggleChart(toggleChart(onlyTwo, available, 'workers', true), available, 'histogram', true)).toBeNull();
    // none ticked is a choice too: the charts section is then empty, not "all"
    expect(chartsOption(toggleChart(['tcp'], available, 'tcp', false))).toEqual({ charts: [] });
  });
});
