import { describe, expect, it } from 'vitest';
import { captureName, dumpKind, matchCaptures } from './matchFiles';

const files = (...names: string[]) => names.map((name) => ({ name }));

describe('matching the files of a capture', () => {
  it('takes PREFIX.kpageflags and .kpagecount with the optional texts and ignores other files', () => {
    const m = matchCaptures(files('before.kpageflags', 'before.kpagecount', 'before.buddyinfo', 'before.zoneinfo', 'before.meminfo', 'dmesg.txt'));
    expect(m.kind).toBe('one');
    if (m.kind !== 'one') return;
    expect(m.capture.prefix).toBe('before');
    expect(m.capture.kpageflags.name).toBe('before.kpageflags');
    expect(m.capture.kpagecount.name).toBe('before.kpagecount');
    expect(Object.keys(m.capture.texts).sort()).toEqual(['buddyinfo', 'zoneinfo']);
  });

  it('reads files named just kpageflags and kpagecount as the empty prefix', () => {
    expect(dumpKind('kpageflags')).toEqual({ prefix: '', kind: 'kpageflags' });
    expect(dumpKind('my.box.kpagecount')).toEqual({ prefix: 'my.box', kind: 'kpagecount' });
    expect(dumpKind('before.vmstat')).toBeNull();
    expect(matchCaptures(files('kpageflags', 'kpagecount')).kind).toBe('one');
    expect(captureName('', null)).toBe('kpageflags');
    expect(captureName('before', 'balloon-compact')).toBe('balloon-compact/before');
  });

  it('a whole capture folder (before.* and after.*) asks which one, in name order', () => {
    const m = matchCaptures(files('before.kpageflags', 'after.kpageflags', 'after.kpagecount', 'before.kpagecount', 'after.buddyinfo'));
    expect(m.kind).toBe('choose');
    if (m.kind === 'choose') expect(m.captures.map((c) => c.prefix)).toEqual(['after', 'before']);
  });

  it('says which file is missing, or that no dump was given', () => {
    expect(matchCaptures(files('before.kpageflags', 'before.buddyinfo'))).toEqual({
      kind: 'error',
      error: 'before.kpagecount is missing: give it with before.kpageflags',
    });
    expect(matchCaptures(files('x.kpagecount'))).toMatchObject({ error: 'x.kpageflags is missing: give it with x.kpagecount' });
    expect(matchCaptures(files('a.txt', 'b.bin'))).toMatchObject({ error: 'no .kpageflags and .kpagecount among the files given (a.txt, b.bin)' });
    expect(matchCaptures([])).toMatchObject({ kind: 'error' });
  });

  it('refuses two files of one name (two folders dropped together)', () => {
    expect(matchCaptures(files('before.kpageflags', 'before.kpageflags', 'before.kpagecount'))).toMatchObject({
      error: 'two files named before.kpageflags: give the files of one capture',
    });
  });
});
