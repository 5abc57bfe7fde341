/**
 * The `--help` texts, generated from each command's argument spec so that
 * the options listed are exactly the options accepted.
 *
 * ```ts
 * io.stdout.write(commandHelp(createtoken));
 * ```
 */
import type { OptionSpec } from './args.ts';
import type { Command } from './command.ts';

const ENVIRONMENT = `Environment: the server's. DATABASE_URL (default sqlite:var/db.sqlite3), SECRET_KEY (default:
the one kept in var/secret.key), and the GATEHOUSE_* settings; see docs/cli.md.`;

const EXIT_STATUS =
  'Exit status: 0 done, 1 failed (unknown user, rejected value), 2 bad arguments or configuration.';

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'Usage: gatehouse COMMAND [ARGUMENTS] [--help]',
    '       gatehouse --version',
    '',
    "Manages the users and credentials of a Gatehouse database, as Django's manage.py does,",
    'and serves the reference server (runserver).',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'gatehouse COMMAND --help' for a command's arguments.",
    ENVIRONMENT,
    EXIT_STATUS,
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const options: [string, string][] = Object.entries(command.args.options).map(([name, spec]) => [
    optionLabel(name, spec),
    spec.description,
  ]);
  options.push(['-h, --help', 'show this help']);
  const width = Math.max(...options.map(([label]) => label.length)) + 2;
  return [
    `Usage: gatehouse ${command.usage ?? usageLine(command)}`,
    '',
    command.description,
    '',
    'Options:',
    ...options.map(([label, description]) => `  ${label.padEnd(width)}${description}`),
    '',
    ENVIRONMENT,
    EXIT_STATUS,
    '',
  ].join('\n');
}

function usageLine(command: Command): string {
  const options = Object.entries(command.args.options).map(([name, spec]) => `[${optionLabel(name, spec)}]`);
  return [command.name, ...command.args.positionals, ...options].join(' ');
}

function optionLabel(name: string, spec: OptionSpec): string {
  return spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.value ?? 'VALUE'}`;
}
