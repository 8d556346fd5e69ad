/** The @pulumi/pulumi releases the internals were verified on: `from` inclusive, `below` exclusive. */
export declare const VERIFIED: { from: string; below: string };
/** Orders two `x.y.z` versions: negative, 0 or positive. */
export declare function compare(a: string, b: string): number;
export declare function installedSdkVersion(): string;
/** Why the installed (or given) SDK version cannot be used, or undefined inside VERIFIED. */
export declare function sdkVersionProblem(version?: string): string | undefined;
/** Throws an `SdkVersionError` outside VERIFIED. */
export declare function checkSdkVersion(): void;
/** The SDK's requires of DEFERRED load their module on first read (installed when the module loads). */
export declare function deferSdkModules(): void;
/** The requires deferred to first use: in `package`, `request` (or a pattern) from its file `from` ("" for any); `name` for the canary. */
export declare const DEFERRED: { name: string; package: string; request: string | RegExp; from: string; callable: boolean }[];
/** The DEFERRED entry a require of `request` from the file `filename` matches. */
export declare function deferredEntry(request: string, filename: string): (typeof DEFERRED)[number] | undefined;
/** Lean promise debugging, no resource stacks, responses printed as their type name (unless PULUMI_DEBUG_PROMISE_LEAKS is set). */
export declare function leanDebugging(): void;
/** Runs `fn` in a fresh SDK store that keeps the resource modules the SDKs registered at load. */
export declare function runInFreshStore<T>(fn: () => T): T;
/** Replaces the mock monitor's URN builder. */
export declare function setMockUrns(monitor: object, newUrn: (parent: string, type: string, name: string) => string): void;
