// playwright.config.ts: the e2e run builds and serves its own preview unless E2E_REUSE=1 asks it
// to use whatever already listens on the port (which may be a stale build).

import { afterEach, describe, expect, test, vi } from 'vitest';

async function webServer(env: Record<string, string | undefined>): Promise<{ reuseExistingServer?: boolean }> {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  vi.resetModules();
  const config = (await import('../playwright.config')).default;
  return config.webServer as { reuseExistingServer?: boolean };
}

describe('playwright.config.ts webServer', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test('a local run (no CI, no E2E_REUSE) starts its own server', async () => {
    expect((await webServer({ CI: undefined, E2E_REUSE: undefined })).reuseExistingServer).toBe(false);
  });

  test('E2E_REUSE=1 reuses a running server; CI alone does not', async () => {
    expect((await webServer({ CI: undefined, E2E_REUSE: '1' })).reuseExistingServer).toBe(true);
    expect((await webServer({ CI: '1', E2E_REUSE: undefined })).reuseExistingServer).toBe(false);
  });
});
