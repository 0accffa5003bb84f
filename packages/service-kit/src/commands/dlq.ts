// `pnpm dlq list|show|replay <topic>` from the repository root (see dlq-command.ts).
import { runDlqCommand } from '../dlq-command.ts';

// Piped into `head`, the reader may go away first: that ends the output, not the command with a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  process.exitCode = await runDlqCommand(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`));
} catch (error) {
  process.stderr.write(`dlq: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
