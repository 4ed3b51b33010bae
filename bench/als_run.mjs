// Runs one execution with aws-local-stepfunctions, for bench/compare.sh.
//
//   node bench/als_run.mjs DEF.asl.json INPUT.json [--fail STATE=N]
//
// The definition is validated as the library does by default (its constructor
// runs asl-validator), then run to its end; the execution's output is printed
// as JSON on stdout. `--fail STATE=N` answers the Task state STATE with a local
// handler (the library's `taskResourceLocalHandlers` override) that throws an
// error named `Flaky` on its first N calls and returns {"ok": true} after, and
// sets STATE's retry interval to 0 ms (`retryIntervalOverrides`), as nagare's
// simulated clock does. Exit status: 0 succeeded, 1 failed, 2 usage.

import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

// aws-local-stepfunctions 3 asks for Node 22; its Task states use
// Promise.withResolvers, which Node 20 lacks. Give it the standard one.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

function usage(message) {
  process.stderr.write(`als_run: ${message}\nusage: node als_run.mjs DEF.asl.json INPUT.json [--fail STATE=N]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length !== 2 && args.length !== 4) usage('wrong number of arguments');
const definition = JSON.parse(readFileSync(args[0], 'utf8'));
const input = JSON.parse(readFileSync(args[1], 'utf8'));

const overrides = {};
if (args.length === 4) {
  if (args[2] !== '--fail') usage(`unknown option ${args[2]}`);
  const [state, count] = args[3].split('=');
  const failures = Number(count);
  if (!state || !Number.isInteger(failures) || failures < 0) usage('--fail takes STATE=N');
  let calls = 0;
  overrides.taskResourceLocalHandlers = {
    [state]: async () => {
      calls += 1;
      if (calls <= failures) {
        const error = new Error('not yet');
        error.name = 'Flaky';
        throw error;
      }
      return { ok: true };
    },
  };
  overrides.retryIntervalOverrides = { [state]: 0 };
}

try {
  const machine = new StateMachine(definition);
  const execution = machine.run(input, { overrides });
  const result = await execution.result;
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (error) {
  process.stderr.write(`FAILED: ${error?.name}: ${error?.message}\n`);
  process.exit(1);
}
