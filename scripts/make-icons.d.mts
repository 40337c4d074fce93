export declare const PNG_SIZES: number[];
export declare const ICO_SIZES: number[];
export declare const ICNS_TYPES: Array<[string, number]>;
export declare function makeIco(images: ReadonlyArray<{ size: number; png: Buffer }>): Buffer;
export declare function makeIcns(entries: ReadonlyArray<{ type: string; png: Buffer }>): Buffer;
