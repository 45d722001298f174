export declare const NO_ELECTRON_MESSAGE: string;
export declare function electronBinary(): string | null;
