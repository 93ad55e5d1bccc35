// Jest setup file (jest.preset.js): the fast-check properties of `npm test`
// (and so of CI) run from one fixed seed, so a run is reproducible and a
// green commit stays green. `npm run fuzz` sets FUZZ_RUNS and explores from a
// fresh random seed each time; FUZZ_SEED replays a seed fast-check printed.
// A spec's own `seed` parameter (from FUZZ_SEED) overrides this. docs/fuzzing.md.
if (process.env.FUZZ_RUNS === undefined && process.env.FUZZ_SEED === undefined) {
  let fc;
  try {
    fc = require('fast-check');
  } catch {
    fc = undefined; // a project without fast-check has no properties to seed
  }
  fc?.configureGlobal({ ...fc.readConfigureGlobal(), seed: 0x10def022 });
}
