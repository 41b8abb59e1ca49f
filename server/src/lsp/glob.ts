/** Glob matching for the `exclude` setting lives in the core (`core/glob.ts`), shared with the folder walk. */
export { compileGlobs, compileGlobList } from '../core/glob';
