import { describe, expect, it } from 'vitest';
import { currentLineCount, stepOfLine } from './traceLines';

const line = (step: number, event: string) => `      alloc-1000 [000] ..... ${step}.000000: ${event}`;

describe('currentLineCount', () => {
  it('counts the trailing lines stamped with the current step', () => {
    const lines = [line(3, 'expand: [pfn=0x454]'), line(4, 'mm_page_alloc: pfn=0x454'), line(4, '__alloc_pages: ret=0x454')];
    expect(currentLineCount(lines, 4)).toBe(2);
  });

  it('does not take step 14 for step 4, nor count a step that has no lines', () => {
    expect(currentLineCount([line(14, 'expand:')], 4)).toBe(0);
    expect(currentLineCount([], 4)).toBe(0);
  });
});

describe('stepOfLine', () => {
  it('reads the step from the ftrace timestamp, whatever the task name', () => {
    expect(stepOfLine(line(17, 'folio_isolate_lru: ret=true'))).toBe(17);
    expect(stepOfLine('    migrate-1020 [000] ..... 208.000000: migrate_pages: ret=0')).toBe(208);
    expect(stepOfLine('         migrate-1020    [000] .....   208.000000: migrate_pages: ret=0')).toBe(208); // ftrace's columns
    expect(stepOfLine('(no trace yet)')).toBeNull();
  });
});
