// Run before every test file of the "shared" project (vite.config.ts): keep populated kernels, so
// that a session opened again on memory populated before is a copy (engine/session.ts:
// keepPopulated) — the files open the same presets again and again, and populating was about half
// of what running a preset costs. The presets' 12 distinct populate specs hold 75 MB of stores;
// 16 covers them and the tests' own scenarios. Each session still gets a kernel of its own.
import { keepPopulated } from './engine/session';

keepPopulated(16);
