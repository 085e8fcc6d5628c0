/**
 * The `tote` program: the entry of the installed package's bundle, and of client/bin/tote.cjs
 * (`npx tote` in the repository, through tsx).
 */
import { main } from './main';

void main();
