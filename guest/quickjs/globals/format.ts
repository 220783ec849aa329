/**
 * Node-compatible `util.format` / `util.inspect` for the guest's console (chunk "inspect").
 *
 * Why not `object-inspect` (evaluated, v1.14.0): it `require('util')` unconditionally (only a
 * `browser` field maps it away, which esbuild's neutral platform does not honour, so the guest
 * bundle fails to build), and its output differs from Node in the cases users look at most:
 * no line breaking / array grouping, `[Error: msg]` without the stack, `Map (1) {…}` spacing,
 * no `<ref *1>` markers, no class names for null-prototype objects. The modules under inspect/
 * are a compact re-implementation of the algorithm in Node's lib/internal/util/inspect.js (MIT;
 * same layout rules: breakLength 80, compact 3, depth 2, array grouping beyond 6 items,
 * maxArrayLength 100, maxStringLength 10000), adapted to what plain ECMAScript can observe inside
 * QuickJS:
 *
 *   util-format.ts    util.format: the %s %d %i %f %j %o %O %c %% directives
 *   format-value.ts   inspect(), formatValue / formatRaw: the recursion and the per-type dispatch
 *   options.ts        InspectOptions (depth, showHidden, breakLength, compact, sorted, getters,
 *                     maxArrayLength, maxStringLength, customInspect), their defaults (node:util's
 *                     inspect.defaultOptions), the per-call context, options for custom inspectors
 *   type-checks.ts    brand checks (Node's util.types) and stack-overflow detection
 *   names.ts          constructor names, `Foo [tag]` / null-prototype prefixes, listed keys
 *   primitives.ts     strings (quoting, escaping, splitting), numbers, boxed primitives
 *   functions.ts      functions and classes
 *   errors.ts         errors: stack header, name/constructor prefixes, cause frames
 *   collections.ts    arrays, typed arrays, ArrayBuffer, Set, Map entries
 *   layout.ts         line breaking and array column grouping
 *
 * Known differences from Node (nothing can observe these from plain JS): Promise state is
 * printed as `<unknown>`, Map/Set iterators and Proxies are shown as ordinary objects, string
 * width is measured in UTF-16 units (full-width characters count 1), and because QuickJS's
 * `error.stack` holds only the frames, the "Name: message" header is rebuilt from the error's
 * current name and message (so the `[ERR_CODE]` marker in the header of Node's own errors, as in
 * `RangeError [ERR_ENCODING_NOT_SUPPORTED]: …`, is not shown for the guest's equivalents).
 */
export { inspectDefaults, type InspectOptions } from './inspect/options.js'
export { inspect } from './inspect/format-value.js'
export { formatLogArguments } from './inspect/util-format.js'
