export type FoundBrowser = { path: string; source: 'CHROMIUM_PATH' | 'playwright' | 'system' } | { missing: string };
export declare function findBrowser(options?: {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
  playwrightChromium?: () => string | null;
}): FoundBrowser;
export declare function systemBrowsers(env: Record<string, string | undefined>, platform: NodeJS.Platform): string[];
export declare function browserMissing(platform?: NodeJS.Platform): string;
