/** The google-protobuf releases the lazy Struct was verified on: `from` inclusive, `below` exclusive. */
export declare const VERIFIED: { from: string; below: string };
/** Structs made from plain data stay that data until read as protobuf; not when PLAN_EAGER_STRUCTS is set or outside VERIFIED. True when installed. */
export declare function lazyStructs(): boolean;
/** True while `struct` holds its plain data and has not been built (for the canary). */
export declare function isKept(struct: object): boolean;
/** Why the installed (or given) google-protobuf is outside VERIFIED, or undefined. */
export declare function protobufVersionProblem(version?: string): string | undefined;
