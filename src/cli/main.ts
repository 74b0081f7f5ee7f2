/**
 * `quant`: the command line of quant-workflows. The commands are declared
 * once in program.ts (help, usage errors and unknown options come from
 * there) and run by handlers.ts, which loads each command's module only when
 * it runs. Every command loads the one config (env + optional YAML), so the
 * CLI, the worker and the tests agree on ports, paths and names.
 * `quant --help` lists the commands, `quant <command> --help` explains one.
 *
 * Exit codes: 0 done (or help shown), 1 failed, 2 usage error (nothing was
 * done), 3 a fan-out run finished with failed contracts.
 */
import { loadConfig, ConfigError } from '../config/load';
import { UsageError } from './args';
import { buildProgram } from './program';
import { handlers } from './handlers';

export async function main(argv: string[]): Promise<number> {
  const { run } = buildProgram(async (name, opts, args) => handlers[name](opts, args, loadConfig()));
  return run(argv.length === 0 ? ['--help'] : argv);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof UsageError || e instanceof ConfigError) {
        process.stderr.write(`quant: ${e.message}\n`);
        process.exit(2);
      }
      // A failed run, a missing schedule or a taken port: the cause, not a stack (loaded only on failure).
      void import('./run-failure.js')
        .then(({ describeFailure }) => describeFailure(e, { namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' }))
        .catch(() => undefined)
        .then((known) => {
          process.stderr.write(known ? `${known.lines.join('\n')}\n` : `quant: ${(e as Error).stack ?? e}\n`);
          process.exit(known?.exitCode ?? 1);
        });
    },
  );
}
