// The service worker registers on the built site's ordinary pages only: not in dev, not where the
// browser has none, and not on a `?test` page (automation with debug hooks).
import { describe, expect, test } from 'vitest';
import { registersServiceWorker } from './offline';
import { isTestPage } from './testPage';

describe('registersServiceWorker()', () => {
  test('a production page registers it, with or without other query parameters', () => {
    expect(registersServiceWorker(true, true, '')).toBe(true);
    expect(registersServiceWorker(true, true, '?lang=en')).toBe(true);
    expect(registersServiceWorker(true, true, '?testing=1')).toBe(true);
  });
  test('a ?test page does not, wherever the parameter stands and with or without a value', () => {
    for (const q of ['?test', '?test=1', '?a=b&test', '?test&x=1']) {
      expect(isTestPage(q), q).toBe(true);
      expect(registersServiceWorker(true, true, q), q).toBe(false);
    }
  });
  test('not in dev, and not where the browser has no service workers', () => {
    expect(registersServiceWorker(false, true, '')).toBe(false);
    expect(registersServiceWorker(true, false, '')).toBe(false);
  });
});
