export declare function findElectron(options?: { download?: boolean }): { path: string } | { missing: string };
