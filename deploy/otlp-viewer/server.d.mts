// Types of server.mjs.
export declare function startViewer (opts?: { host?: string, port?: number, maxTraces?: number }): Promise<{ url: string, close: () => Promise<void> }>
