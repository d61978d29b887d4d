import { probarRutasHostiles } from '../hostil/suite';

// Part 3 of the hostile-body run (test/workers/hostil.test.ts has the oracles' own tests and part 1).
probarRutasHostiles(3, 3);
