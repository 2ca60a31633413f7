/**
 * How long the check waits for each Analyzer call. The CLI's analyzer client sets no deadline at
 * all (analyzer_plugin.go calls `a.client.Analyze(ctx, ...)` and `AnalyzeStack` with the
 * deployment's context, which has none); the check keeps one, so that a pack that hangs ends the run
 * with a clear line instead of never. A call that carries the whole stack must not be timed like a
 * call that carries one resource: AnalyzeStack's deadline grows with the resource count.
 */

/** Deadline of a call about one resource or none (Analyze, Handshake, Configure...). */
export const BASE_RPC_TIMEOUT_MS = 30_000;

/**
 * AnalyzeStack's extra time per resource. The pack decodes every resource and runs each stack policy
 * over all of them: about 0.4 ms of CPU per resource on an idle machine, so 10 ms leaves room for a
 * machine 25 times over-committed (a 500-service stack, 8,185 resources, gets 30 s + 82 s).
 */
export const ANALYZE_STACK_MS_PER_RESOURCE = 10;

/** AnalyzeStack's deadline for `resources` resources, from a base deadline (`rpcTimeoutMs`, 30 s by default). */
export function analyzeStackTimeoutMs(resources: number, baseMs: number = BASE_RPC_TIMEOUT_MS): number {
    return baseMs + resources * ANALYZE_STACK_MS_PER_RESOURCE;
}
