export declare const PAGES: string[];
/** Builds every Custom UI page into `<outRoot>/<page>/` (default: static/<page>/build/). */
export declare function buildUi(outRoot?: string): Promise<Record<string, string>>;
