/** Types for bundle.mjs (plain JavaScript: it runs before TypeScript can be loaded). */
export function sourceKey(root?: string): string;
export function bundledMain(root?: string): Promise<string | null>;
