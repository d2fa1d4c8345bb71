/** Why an entry is in the bundle: decides the order in which entries are dropped. */
export type EntryKind =
  'meta' | 'state' | 'excerpt' | 'command-log' | 'log-current' | 'log-rotated' | 'extra';

/** One record of meta/manifest.json. Files left out have no `path`. */
export interface ManifestRecord {
  /** Path inside the archive; null when the file was left out. */
  path: string | null;
  kind: EntryKind;
  /** Where it came from on disk; null for files the action generated. */
  source: string | null;
  source_size: number | null;
  archived_size: number | null;
  /** sha256 of the bytes in the archive (after any cut and redaction). */
  sha256: string | null;
  truncated: boolean;
  truncated_reason?: string;
  left_out: boolean;
  left_out_reason?: string;
  /** How many values were redacted (never what). */
  redactions: number;
  /** False for binary files kept as they are. */
  scrubbed: boolean;
  /** A symbolic link, recorded and not read. */
  link_target?: string;
  /** For names that are not valid UTF-8: the raw name in hex. */
  raw_name_hex?: string;
}

export interface Manifest {
  format_version: 1;
  action_version: string;
  created_at: string;
  entries: ManifestRecord[];
}

/** What packing produced. */
export interface BundleResult {
  archivePath: string;
  sha256: string;
  size: number;
  /** Files in the archive, meta files included. */
  entryCount: number;
  manifest: Manifest;
  errors: string[];
  /** The staging directory holding the bundle's files unpacked (removed at the end). */
  stagingDir: string;
}
