// Dropping a file on the page as a drag from the desktop would: dragenter shows the veil (which
// may be asked to say `veilSays`), the drop hands the file over, and the veil goes.
import { expect, type Page } from '@playwright/test';

export async function dropFile(page: Page, name: string, bytes: Buffer, veilSays?: string): Promise<void> {
  const dt = await page.evaluateHandle(({ name, b64 }) => {
    const d = new DataTransfer();
    d.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    return d;
  }, { name, b64: bytes.toString('base64') });
  await page.dispatchEvent('.grid-panel', 'dragenter', { dataTransfer: dt });
  const veil = page.getByTestId('import-veil');
  await (veilSays === undefined ? expect(veil).toBeVisible() : expect(veil).toContainText(veilSays));
  await page.dispatchEvent('.grid-panel', 'drop', { dataTransfer: dt });
  await expect(veil).toHaveCount(0);
}
