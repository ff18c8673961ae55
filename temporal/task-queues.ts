/** Task queues. One queue serves every Warden workflow and activity unless configured otherwise. */
export const DEFAULT_TASK_QUEUE = 'warden';
