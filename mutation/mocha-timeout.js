// A mocha root hook for Stryker's runs: each test gets .mocharc.json's 60 s timeout. Stryker runs mocha
// with no-config and its options have no timeout, so mocha's 2 s default applied, and a slow test on a
// loaded machine counted as a kill. A mutant that loops forever is still stopped by Stryker's timeoutMS.
exports.mochaHooks = {
    beforeEach() {
        this.currentTest?.timeout(60000);
    },
};
