/**
 * Trace families for the held-out protocol: the default policy was tuned on `first`; `second` was written
 * independently afterwards and is reported as held-out (bench/detector/README.md). `third` was written later
 * still, independently of both, so that one family stays held out once `first` and `second` are tuned on.
 * `fourth` was written later, independently of all three, as the held-out test once all three are tuned on.
 * `fifth` was written later, independently of all four, as the held-out test once all four are tuned on.
 * `sixth` was written later, independently of all five, as the held-out test once all five are tuned on.
 * `seventh` was written last, independently of all six, as the held-out test once all six are tuned on.
 */
import { generateTraces, type TraceLine } from '../generate-traces.js';
import { generateFifthFamily } from './fifth.js';
import { generateFourthFamily } from './fourth.js';
import { generateSecondFamily } from './second.js';
import { generateSeventhFamily } from './seventh.js';
import { generateSixthFamily } from './sixth.js';
import { generateThirdFamily } from './third.js';

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
    tunedOn: false,
    generate: (o) => generateSecondFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  third: {
    generator: 'bench/detector/families/third.ts',
    tunedOn: false,
    generate: (o) => generateThirdFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  fourth: {
    generator: 'bench/detector/families/fourth.ts',
    tunedOn: false,
    generate: (o) => generateFourthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  fifth: {
    generator: 'bench/detector/families/fifth.ts',
    tunedOn: false,
    generate: (o) => generateFifthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  sixth: {
    generator: 'bench/detector/families/sixth.ts',
    tunedOn: false,
    generate: (o) => generateSixthFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
  seventh: {
    generator: 'bench/detector/families/seventh.ts',
    tunedOn: false,
    generate: (o) => generateSeventhFamily({ seed: o.seed, agentsPerArchetype: o.agentsPerArchetype, days: o.days }),
  },
};
