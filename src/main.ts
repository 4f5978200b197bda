import 'reflect-metadata';
import { inspect } from 'node:util';
import { runApi } from './app/api-process';

runApi().catch((err: unknown) => {
  // The message is for people; the stack only helps when it is not one of ours.
  // Some libraries reject with a bare value (or nothing): show whatever there is.
  const detail =
    err instanceof Error
      ? process.env.LOG_LEVEL === 'debug'
        ? err.stack
        : err.message
      : err === undefined
        ? 'an error that carried no details'
        : inspect(err, { depth: 3 });
  process.stderr.write(`Failed to start: ${detail}\n`);
  process.exit(1);
});
