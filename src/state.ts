/** Names of the state main saves for post (the runner passes them back as STATE_*). */
export const STATE = {
  isPost: 'isPost',
  mainStarted: 'main-started',
  /** Saved before the archive is written: without archivePath after it, it is incomplete. */
  archiveReserved: 'archive-reserved',
  archivePath: 'archive-path',
  uploadsDone: 'uploads-done',
} as const;
