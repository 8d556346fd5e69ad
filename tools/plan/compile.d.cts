export declare const CACHE: string;
/** Path of the up-to-date bundle of `entry`, kept in `cacheDir` (default: `.plan-cache` beside it). */
export declare function compiled(entry: string, cacheDir?: string): string;
/** `stack` with every frame in one of our bundles pointed at its TypeScript source. */
export declare function mapStack(stack: string): string;
/** The nearest folder at or above `from` that holds `marker`. */
export declare function findUp(from: string, marker: string): string;
/** Node's compile cache folder for this project and this Node version. */
export declare function compileCacheDir(root: string): string;
