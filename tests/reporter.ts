import * as fs from "node:fs";
import * as Mocha from "mocha";

/**
 * The spec reporter, plus the runner's own counts written as JSON to $ENVSTACK_TEST_STATS when
 * set, so CI can print them without parsing text.
 */
class SpecWithStats extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once("end", () => {
            const file = process.env.ENVSTACK_TEST_STATS;
            if (file) fs.writeFileSync(file, JSON.stringify(this.stats));
        });
    }
}

export = SpecWithStats;
