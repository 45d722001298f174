export declare function findElectron(options?: {
  download?: boolean;
  nodeVersion?: string;
  electronDir?: () => string | null;
  progress?: (text: string) => void;
}): { path: string } | { missing: string };
