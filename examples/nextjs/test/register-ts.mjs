// `node --import ./test/register-ts.mjs --test test/`: lets the unit tests
// import the app's TypeScript helpers (lib/*.ts) directly. Node 20 cannot strip
// types itself, so the hooks in ts-hooks.mjs transpile them with TypeScript's
// transpileModule (types erased, no type check: `tsc --noEmit` does that).
import { register } from 'node:module'

register('./ts-hooks.mjs', import.meta.url)
