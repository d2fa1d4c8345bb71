/**
 * Variables only an action gets from the runner, never a `run:` step: the bot's commands must
 * not see them either, so a test that prints its environment cannot leak them.
 */
const ACTION_ONLY_VARIABLES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
];

const ACTION_ONLY_PREFIXES = ['INPUT_', 'STATE_'];

/** The environment the bot's commands run with. */
export function commandEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const filtered: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (ACTION_ONLY_VARIABLES.includes(name)) continue;
    if (ACTION_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    filtered[name] = value;
  }
  return filtered;
}
