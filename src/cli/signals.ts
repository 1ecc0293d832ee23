/**
 * SIGTERM / SIGINT for long-running commands (`serve`, `worker`): the first signal starts a graceful stop
 * (`stop()` resolves when done: exit 0); a second one exits at once (1). `announce` says what the stop does.
 */
export function stopOnSignals(stop: () => Promise<void>, announce?: (signal: string) => void): void {
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`hearken: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    announce?.(signal);
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`hearken: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}
