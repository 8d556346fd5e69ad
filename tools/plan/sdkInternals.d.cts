/** The @pulumi/pulumi releases the internals were verified on: `from` inclusive, `below` exclusive. */
export declare const VERIFIED: { from: string; below: string };
export declare function installedSdkVersion(): string;
/** Why the installed (or given) SDK version cannot be used, or undefined inside VERIFIED. */
export declare function sdkVersionProblem(version?: string): string | undefined;
/** Throws an `SdkVersionError` outside VERIFIED. */
export declare function checkSdkVersion(): void;
/** The SDK's requires of DEFERRED load their module on first read (installed when the module loads). */
export declare function deferSdkModules(): void;
/** The SDK requires deferred to first use: `request` from the SDK file `from` ("" for any). */
export declare const DEFERRED: { request: string; from: string; callable: boolean }[];
/** Lean promise debugging and no resource stacks (unless PULUMI_DEBUG_PROMISE_LEAKS is set). */
export declare function leanDebugging(): void;
/** Runs `fn` in a fresh SDK store that keeps the resource modules the SDKs registered at load. */
export declare function runInFreshStore<T>(fn: () => T): T;
/** Replaces the mock monitor's URN builder. */
export declare function setMockUrns(monitor: object, newUrn: (parent: string, type: string, name: string) => string): void;
