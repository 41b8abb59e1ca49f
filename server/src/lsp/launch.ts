/**
 * How the clients start the language server process.
 *
 * `--max-semi-space-size=4` caps V8's young generation at 4 MB per semi-space (the default lets it
 * grow to 16 MB): the server's garbage is short-lived and an edit allocates little, so the smaller
 * young generation costs nothing measurable in latency, and over a 3000-node workspace it keeps
 * about 25 MB less resident (BENCHMARKS.md measures the server launched both ways).
 */
export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4'];
