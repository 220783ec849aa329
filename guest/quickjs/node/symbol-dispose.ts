// Symbol.dispose and Symbol.asyncDispose, as Node 20 defines them (QuickJS 2024-01-13 has neither).
// Imported first by the modules that hand out disposables (events' addAbortListener) or expect
// them (readable-stream reads Symbol.dispose once, when it loads).
for (const name of ['dispose', 'asyncDispose']) {
  if (!(name in Symbol)) Object.defineProperty(Symbol, name, { value: Symbol.for(`nodejs.${name}`) })
}
export {}
