/** The version `tote --version` prints: the repository's, from package.json (esbuild keeps only this field). */
import { version } from '../../../package.json';

export const TOTE_VERSION: string = version;
