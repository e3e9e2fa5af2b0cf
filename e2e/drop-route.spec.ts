// A file dropped on the page goes where its bytes say (src/ui/import/dropRoute.ts): trace-cmd's
// binary trace.dat is refused in one line saying how to convert it, and an ftrace text replays
// whatever it is named. (replay.spec.ts drops a real capture's trace.txt.gz and a non-trace .txt.)
import { expect, test, type Page } from './fixtures';
import { app, idle } from './panels.helpers';
import { openLink } from './share.helpers';
import { dropFile } from './drop.helpers';


test("a dropped trace.dat is refused in one line naming trace-cmd report; the session shown stays", async ({ page }) => {
  await openLink(page, '/#preset=small');
  const hash = await app(page).getAttribute('data-state-hash');
  const dat = Buffer.concat([Buffer.from([0x17, 0x08, 0x44]), Buffer.from('tracing6\0'), Buffer.alloc(64)]);
  await dropFile(page, 'trace.dat', dat);
  await expect(page.getByRole('alert')).toContainText("trace.dat is trace-cmd's binary format, which pfnscope does not read: convert it with `trace-cmd report -i trace.dat > trace.txt`");
  await idle(page);
  await expect(app(page)).toHaveAttribute('data-state-hash', hash!);
});

test('a dropped ftrace text replays though its name says nothing of a trace', async ({ page }) => {
  await openLink(page, '/#preset=default');
  const text = [
    'cpus=2',
    '     kcompactd0-35    [000]  1.000000: mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x1fe00 zone_end=0x20000, mode=sync',
    '     kcompactd0-35    [000]  1.000100: mm_compaction_isolate_migratepages: range=(0x1000 ~ 0x1200) nr_scanned=512 nr_taken=0',
    '',
  ].join('\n');
  await dropFile(page, 'capture-42', Buffer.from(text));
  await expect(page.locator('.header')).toContainText('replay of capture-42');
  await idle(page);
  await page.getByRole('button', { name: 'Run to end' }).click();
  await expect(app(page)).toHaveAttribute('data-step', '2');
});
