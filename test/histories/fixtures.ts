/** Where recorded histories live, and the codec key their payloads are encrypted with (fixtures only). */
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/config.js';

export const HISTORIES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'histories');
export const HISTORIES_CODEC_KEYS = path.join(HISTORIES, 'codec-keys.txt');

/** One recorded run: its ids (the replayer needs the workflow id; Warden's workflows check it) and history. */
export interface RecordedHistory {
  workflowId: string;
  runId: string;
  /** As `temporal workflow show --output json` prints it. */
  history: {
    events: { eventType?: string; workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[];
  };
}
