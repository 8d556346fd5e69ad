/** Structs made from plain data stay that data until read as protobuf (unless PLAN_EAGER_STRUCTS is set). */
export declare function lazyStructs(): void;
/** True while `struct` holds its plain data and has not been built (for the canary). */
export declare function isKept(struct: object): boolean;
