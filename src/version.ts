/** The action's version, kept in step with package.json by a test. */
export const ACTION_VERSION = '0.1.0';

export const USER_AGENT = `k98-diagnostics-action/${ACTION_VERSION}`;
