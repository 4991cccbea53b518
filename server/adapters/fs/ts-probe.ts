// Imported (once) by stage-files.ts to learn whether a TypeScript loader that compiles (tsx,
// vitest) is active: an enum is more than Node's own type stripping accepts.
enum Probe {
  Compiled = 1,
}
export default Probe.Compiled;
