/**
 * Where the pipeline tells the user what is happening. The action writes through
 * @actions/core (annotations, groups, masking); the CLI writes plain lines to the terminal.
 */
export interface Reporter {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  startGroup(title: string): void;
  endGroup(): void;
  /** Registers a value that must never be printed. */
  setSecret(value: string): void;
}

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

/** Runs `body` inside a log group that is always closed. */
export async function inGroup<T>(
  reporter: Reporter,
  title: string,
  body: () => Promise<T>,
): Promise<T> {
  reporter.startGroup(title);
  try {
    return await body();
  } finally {
    reporter.endGroup();
  }
}

/** A reporter that scrubs every message first: nothing it prints can carry a credential. */
export function scrubbingReporter(inner: Reporter, scrub: (text: string) => string): Reporter {
  return {
    info: (message) => inner.info(scrub(message)),
    debug: (message) => inner.debug(scrub(message)),
    warning: (message, properties) => inner.warning(scrub(message), properties),
    error: (message, properties) => inner.error(scrub(message), properties),
    startGroup: (title) => inner.startGroup(scrub(title)),
    endGroup: () => inner.endGroup(),
    setSecret: (value) => inner.setSecret(value),
  };
}
