import { runClaw } from './program';

// The exit code is set, not forced: stdout is flushed before the process ends, also when piped.
runClaw(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
