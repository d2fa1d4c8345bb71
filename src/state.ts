/** Names of the state main saves for post (the runner passes them back as STATE_*). */
export const STATE = {
  isPost: 'isPost',
  mainStarted: 'main-started',
  archivePath: 'archive-path',
  uploadsDone: 'uploads-done',
} as const;
