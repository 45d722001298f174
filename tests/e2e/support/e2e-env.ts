/** Environment variables the global setup sets for the tests. */
export const E2E_ENV = {
  origin: 'FLOWSCOPE_E2E_ORIGIN',
  usedUrl: 'FLOWSCOPE_E2E_USED_URL',
  storageState: 'FLOWSCOPE_E2E_STORAGE_STATE',
  workspace: 'FLOWSCOPE_E2E_WORKSPACE',
} as const;

export function e2eEnv(name: keyof typeof E2E_ENV): string {
  const value = process.env[E2E_ENV[name]];
  if (!value) throw new Error(`${E2E_ENV[name]} is not set: the Playwright global setup did not run.`);
  return value;
}
