/**
 * Trace families for the held-out protocol (bench/detector/README.md): each written independently of the others and
 * of the scorer, each held out exactly once — replayed on a frozen policy, the result kept as
 * `detector-<family>-held-out.json` — and tuned on only after that. `first` … `fifteenth` are tuned on (`seventh` …
 * `fifteenth` since their held-out runs); `sixteenth` is held out (not yet replayed).
 */
import { generateTraces, type TraceLine } from '../generate-traces.js';
import { generateEighthFamily } from './eighth.js';
import { generateEleventhFamily } from './eleventh.js';
import { generateFifteenthFamily } from './fifteenth.js';
import { generateFifthFamily } from './fifth.js';
import { generateFourteenthFamily } from './fourteenth.js';
import { generateFourthFamily } from './fourth.js';
import { generateNinthFamily } from './ninth.js';
import { generateSecondFamily } from './second.js';
import { generateSeventhFamily } from './seventh.js';
import { generateSixteenthFamily } from './sixteenth.js';
import { generateSixthFamily } from './sixth.js';
import { generateTenthFamily } from './tenth.js';
import { generateThirdFamily } from './third.js';
import { generateThirteenthFamily } from './thirteenth.js';
import { generateTwelfthFamily } from './twelfth.js';

export interface FamilyOptions {
  seed: number;
  agentsPerArchetype: number;
  days: number;
}

export interface Family {
  generator: string;
  /** Whether DEFAULT_POLICY was tuned on this family (false: held-out). */
  tunedOn: boolean;
  generate(options: FamilyOptions): TraceLine[];
}

export const FAMILIES: Record<string, Family> = {
  first: {
    generator: 'bench/detector/generate-traces.ts',
    tunedOn: true,
    generate: (o) => generateTraces({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  second: {
    generator: 'bench/detector/families/second.ts',
    tunedOn: true,
    generate: (o) => generateSecondFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  third: {
    generator: 'bench/detector/families/third.ts',
    tunedOn: true,
    generate: (o) => generateThirdFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  fourth: {
    generator: 'bench/detector/families/fourth.ts',
    tunedOn: true,
    generate: (o) => generateFourthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  fifth: {
    generator: 'bench/detector/families/fifth.ts',
    tunedOn: true,
    generate: (o) => generateFifthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  sixth: {
    generator: 'bench/detector/families/sixth.ts',
    tunedOn: true,
    generate: (o) => generateSixthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  seventh: {
    generator: 'bench/detector/families/seventh.ts',
    tunedOn: true,
    generate: (o) => generateSeventhFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  eighth: {
    generator: 'bench/detector/families/eighth.ts',
    tunedOn: true,
    generate: (o) => generateEighthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  ninth: {
    generator: 'bench/detector/families/ninth.ts',
    tunedOn: true,
    generate: (o) => generateNinthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  tenth: {
    generator: 'bench/detector/families/tenth.ts',
    tunedOn: true,
    generate: (o) => generateTenthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  eleventh: {
    generator: 'bench/detector/families/eleventh.ts',
    tunedOn: true,
    generate: (o) => generateEleventhFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  twelfth: {
    generator: 'bench/detector/families/twelfth.ts',
    tunedOn: true,
    generate: (o) => generateTwelfthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  thirteenth: {
    generator: 'bench/detector/families/thirteenth.ts',
    tunedOn: true,
    generate: (o) => generateThirteenthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  fourteenth: {
    generator: 'bench/detector/families/fourteenth.ts',
    tunedOn: true,
    generate: (o) => generateFourteenthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  fifteenth: {
    generator: 'bench/detector/families/fifteenth.ts',
    tunedOn: true,
    generate: (o) => generateFifteenthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  sixteenth: {
    generator: 'bench/detector/families/sixteenth.ts',
    tunedOn: false,
    generate: (o) => generateSixteenthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
};
