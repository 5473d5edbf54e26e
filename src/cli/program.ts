import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { describeError, processOutput, type Output } from './output.js';
import { chooseDatabase, DEFAULT_STATE_DIR, type GlobalOptions } from './state.js';
import { registerCalibration } from './commands/calibration.js';
import { registerCheck } from './commands/check.js';
import { registerControl } from './commands/control.js';
import { registerDb } from './commands/db.js';
import { registerDemo } from './commands/demo.js';
import { registerEvents } from './commands/events.js';
import { registerExplain } from './commands/explain.js';
import { registerFleet } from './commands/fleet.js';
import { registerInit } from './commands/init.js';
import { registerJudge } from './commands/judge.js';
import { registerLogs } from './commands/logs.js';
import { registerOutcome } from './commands/outcome.js';
import { registerPaths } from './commands/paths.js';
import { registerReport } from './commands/report.js';
import { registerRevert } from './commands/revert.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerServer } from './commands/server.js';
import { registerStatus } from './commands/status.js';
import { registerSteps } from './commands/steps.js';
import { registerWorker } from './commands/worker.js';

const packageJson = createRequire(import.meta.url)('../../package.json') as { version: string };

export function buildProgram(output: Output = processOutput): Command {
  const program = new Command('flotilla')
    .description('Automate code changes across a fleet of repositories.')
    .version(packageJson.version)
    .option('--state <dir>', 'where Flotilla keeps its state (SQLite store, workspaces)', process.env.FLOTILLA_STATE ?? DEFAULT_STATE_DIR)
    .option('--database <url>', 'a PostgreSQL URL: keep the state there instead of SQLite (default: $DATABASE_URL)')
    .hook('preAction', (_program, action) => chooseDatabase(action.optsWithGlobals<GlobalOptions>().database))
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => output.out(text), writeErr: (text) => output.err(text) })
    .exitOverride();
  registerInit(program, output);
  registerDemo(program, output);
  registerFleet(program, output);
  registerRun(program, output);
  registerStatus(program, output);
  registerControl(program, output);
  registerRevert(program, output);
  registerServe(program, output);
  registerServer(program, output);
  registerWorker(program, output);
  registerDb(program, output);
  registerEvents(program, output);
  registerLogs(program, output);
  registerSteps(program, output);
  registerPaths(program, output);
  registerJudge(program, output);
  registerCheck(program, output);
  registerExplain(program, output);
  registerReport(program, output);
  registerOutcome(program, output);
  registerCalibration(program, output);
  return program;
}

/** Parses and runs a command line; returns the exit code instead of exiting. */
export async function runCli(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const program = buildProgram(output);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.badInput;
    }
    output.err(`flotilla: ${describeError(error)}`);
    return exitCodeFor(error);
  }
}
