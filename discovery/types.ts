/**
 * Discovery findings and the contract every discovery source follows.
 *
 * A source is a pure, streaming, resumable function:
 *
 *   scanX(input, config, resumeFrom?, onProgress?) → { findings, progress }
 *
 * - It reads its input with bounded memory and never throws on bad input: malformed records are counted on
 *   `progress`, errors (a cloud API that fails, a file that cannot be opened) are listed on `progress.errors`.
 * - `progress.cursor` is opaque. Passing the last progress back as `resumeFrom` continues after the last
 *   record that is reflected in that progress; counters continue from where they were.
 * - `onProgress(progress, findings)` is called at consistent points: `findings` are exactly the grouped
 *   findings of the records before `progress.cursor` (in this scan, i.e. since `resumeFrom`). A Temporal
 *   activity heartbeats both; after a crash it resumes from the heartbeat's progress and merges the
 *   heartbeat's findings with the resumed scan's findings (`mergeFindings`). The union equals a full scan.
 * - Findings are grouped by fingerprint within a scan (counts summed, first/last seen widened).
 */

import type { Finding } from '../domain/discovery.js';

export interface SourceProgress {
  /** Opaque; e.g. a file index and byte offset, or a page token. Empty string: from the start. */
  cursor: string;
  /** Records (lines, rows, config entries, API items) read, cumulative across resumes. */
  read: number;
  /** Records that could not be understood (bad JSON, invalid UTF-8, over-long, missing fields…). */
  malformed: number;
  /** Records deliberately passed over (comments, headers, blank lines, removed rows, ignored entries…). */
  skipped: number;
  /** Errors (capped list) such as an API that kept failing or a file that could not be read. */
  errors: string[];
  /** True once the source has read all of its input (a resumed scan from a done progress does nothing). */
  done?: boolean;
}

export type ProgressCallback = (progress: SourceProgress, findings: Finding[]) => void | Promise<void>;

export interface ScanResult {
  findings: Finding[];
  progress: SourceProgress;
}

export type ScanFunction<Input, Config> = (
  input: Input,
  config: Config,
  resumeFrom?: SourceProgress,
  onProgress?: ProgressCallback,
) => Promise<ScanResult>;

export function emptyProgress(): SourceProgress {
  return { cursor: '', read: 0, malformed: 0, skipped: 0, errors: [] };
}
