import * as core from '@actions/core';

import type { Reporter } from './reporter.js';

/** The reporter used inside GitHub Actions: real annotations, groups and masks. */
export const actionReporter: Reporter = {
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  warning: (message, properties) => core.warning(message, properties),
  error: (message, properties) => core.error(message, properties),
  startGroup: (title) => core.startGroup(title),
  endGroup: () => core.endGroup(),
  setSecret: (value) => core.setSecret(value),
};
