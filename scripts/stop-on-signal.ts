/**
 * How `npm start` and `npm run cluster` end: Ctrl-C or SIGTERM, a part that died, or a failed start all
 * call the same `stopAll`, which stops everything once; every caller waits for that one stop, then the
 * process exits with the first caller's code.
 */
export interface Stopper {
  /** True once a stop was asked for (a part exiting then is expected, not news). */
  readonly stopping: boolean;
  stopAll(code: number): Promise<never>;
}

export function stopOnSignal(say: (line: string) => void, stop: () => Promise<void>): Stopper {
  let stopped: Promise<void> | undefined;
  const stopper = {
    stopping: false,
    async stopAll(code: number): Promise<never> {
      stopper.stopping = true;
      stopped ??= (async () => {
        say('stopping…');
        await stop();
        say('stopped');
      })();
      await stopped;
      process.exit(code);
    },
  };
  // Every signal, not only the first: Ctrl-C reaches this process from the terminal and again through tsx,
  // and a second one must join the stop under way, not end the process before it is done.
  process.on('SIGINT', () => void stopper.stopAll(0));
  process.on('SIGTERM', () => void stopper.stopAll(0));
  return stopper;
}
