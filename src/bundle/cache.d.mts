// Types of cache.mjs (plain JavaScript: bin/weft.mjs loads it before TypeScript can be).
export declare function bundleOff(): boolean;
export declare function cacheDir(): string | null;
export declare function bundled(entry: string, dir: string | null): Promise<{ file: URL } | null>;
export declare function privateDir(dir: string): string | null;
export declare function registerForComponents(tsx: { esm: string; cjs: string }, bundle: string | null): Promise<void>;
