import { expect } from "chai";
import fc from "fast-check";
import { canonicalEnvironment } from "../../detector/environments";
import { CLOUD_RUN_WORKER_POOL_VARIABLES } from "../../detector/cloud-run";
import {
    CLOUD_RUN_JOB_NAME_VARIABLES,
    CLOUD_RUN_SERVICE_VARIABLES,
    environmentsNamedBy,
    ABSOLUTE_URL_PATTERN,
    hostnameOf,
    PROJECT_ID_VARIABLES,
    readSignals,
    readVariable,
    SERVICE_URL_VARIABLES,
    SIGNAL_VARIABLES,
} from "../../detector/signals";
import { isReservedEnvName } from "../../rules/cloudrun-env";

describe("environmentsNamedBy", () => {
    it("reads whole tokens split on any non-alphanumeric character", () => {
        expect(environmentsNamedBy("netra-backend-staging")).to.deep.equal(["staging"]);
        expect(environmentsNamedBy("api.staging.netrasystems.ai")).to.deep.equal(["staging"]);
        expect(environmentsNamedBy("netra_PROD_worker")).to.deep.equal(["production"]);
        expect(environmentsNamedBy("netra-auth-service")).to.deep.equal([]);
        expect(environmentsNamedBy("netra-product-api")).to.deep.equal([]);
    });

    it("never matches a substring of a token", () => {
        expect(environmentsNamedBy("stagingarea-devtools-prods-testbed")).to.deep.equal([]);
    });

    it("counts digits as part of a token, so an alias with a digit beside it names nothing", () => {
        for (const name of ["prod0", "9prod", "dev9-x", "0staging", "netra-test0"]) {
            expect(environmentsNamedBy(name), name).to.deep.equal([]);
        }
        expect(environmentsNamedBy("0-prod-9")).to.deep.equal(["production"]);
    });

    it("reads no prefix of an alias as the alias", () => {
        for (const name of ["productio", "developmen", "stagin", "testin", "loca", "de", "pro", "tes", "stag", "p", "d"]) {
            expect(environmentsNamedBy(name), name).to.deep.equal([]);
            expect(environmentsNamedBy(`netra-${name}-api`), name).to.deep.equal([]);
        }
    });

    it("names each environment once, in order of appearance, aliases folded", () => {
        expect(environmentsNamedBy("prod-to-stage-from-production-dev-local")).to.deep.equal(["production", "staging", "development"]);
    });

    it("gives the environments of a name's tokens, whatever separators join them", () => {
        const token = fc.oneof(fc.constantFrom("dev", "Stage", "PROD", "testing", "local"), fc.stringMatching(/^[a-z0-9]{1,6}$/));
        fc.assert(
            fc.property(
                fc.array(token, { minLength: 1, maxLength: 6 }),
                fc.constantFrom("-", ".", "_", "/", " ", "--"),
                (tokens, separator) => {
                    const expected = [
                        ...new Set(tokens.map((part) => canonicalEnvironment(part)).filter((environment) => environment !== undefined)),
                    ];
                    expect(environmentsNamedBy(tokens.join(separator))).to.deep.equal(expected);
                },
            ),
        );
    });
});

describe("hostnameOf", () => {
    it("returns the lower-cased hostname of an absolute URL of any scheme", () => {
        expect(hostnameOf("https://API.Staging.netrasystems.ai")).to.equal("api.staging.netrasystems.ai");
        expect(hostnameOf("wss://api.staging.netrasystems.ai/ws?x=1")).to.equal("api.staging.netrasystems.ai");
        expect(hostnameOf("http://localhost:3000/")).to.equal("localhost");
        expect(hostnameOf("https://bot@auth.staging.netrasystems.ai:8443#top")).to.equal("auth.staging.netrasystems.ai");
        expect(hostnameOf("http://[::1]:8000/api")).to.equal("[::1]");
    });

    it("agrees with the WHATWG URL parser on well-formed URLs", () => {
        fc.assert(
            fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
                expect(hostnameOf(url)).to.equal(new URL(url).hostname);
            }),
        );
    });

    it("reads exactly what ABSOLUTE_URL_PATTERN (the Python twin's regular expression) reads, on any string", () => {
        const pattern = new RegExp(ABSOLUTE_URL_PATTERN, "i");
        const unit = fc.constantFrom("[", "]", "@", ":", "/", "?", "#", "a", "B", "1", ".", "-", "+", "://", "http://", "\n", "é", "Z");
        fc.assert(
            fc.property(fc.string({ unit, maxLength: 14 }), fc.boolean(), (rest, withScheme) => {
                const url = withScheme ? `https://${rest}` : rest;
                const match = pattern.exec(url);
                const expected = match === null ? undefined : match[1].replace(/[A-Z]+/g, (capitals) => capitals.toLowerCase());
                expect(hostnameOf(url), JSON.stringify(url)).to.equal(expected);
            }),
            { numRuns: 20_000 },
        );
    });

    it('reads a bracketed literal, with or without a userinfo before it, up to its "]" when only a port follows', () => {
        expect(hostnameOf("http://[::1]")).to.equal("[::1]");
        expect(hostnameOf("http://[a]:")).to.equal("[a]");
        expect(hostnameOf("http://u@[::1]:80")).to.equal("[::1]");
        expect(hostnameOf("http://@[a]")).to.equal("[a]");
        expect(hostnameOf("http://[a]:8x")).to.equal(undefined);
        expect(hostnameOf("http://u@[::1]x")).to.equal(undefined);
    });

    it('reads a "[" that opens no literal as part of a plain host, lower-casing ASCII capitals', () => {
        expect(hostnameOf("http://[A]x")).to.equal("[a]x");
        expect(hostnameOf("http://[Z]x")).to.equal("[z]x");
        expect(hostnameOf("http://[B]1")).to.equal("[b]1");
        expect(hostnameOf("http://u@[A]x")).to.equal("[a]x");
        expect(hostnameOf("http://[a")).to.equal("[a");
        expect(hostnameOf("http://[a/]")).to.equal("[a");
        expect(hostnameOf("http://x@[a/]")).to.equal("[a");
    });

    it('reads the whole authority as a bracketed host when the part after its "@" is no host', () => {
        expect(hostnameOf("http://[a@:b]")).to.equal("[a@:b]");
        expect(hostnameOf("http://[a@b]")).to.equal("b]");
        expect(hostnameOf("http://[a]b@[c]d")).to.equal("[c]d");
        expect(hostnameOf("http://a@b@[c]")).to.equal(undefined);
    });

    it("lower-cases a host only when it holds an ASCII capital (a bracketed literal always)", () => {
        const replace = Object.getOwnPropertyDescriptor(String.prototype, "replace") as PropertyDescriptor;
        const lowerCasings = (url: string): number => {
            let calls = 0;
            Object.defineProperty(String.prototype, "replace", {
                ...replace,
                value(this: string, ...args: unknown[]): unknown {
                    calls += 1;
                    return (replace.value as (...args: unknown[]) => unknown).apply(this, args);
                },
            });
            try {
                hostnameOf(url);
            } finally {
                Object.defineProperty(String.prototype, "replace", replace);
            }
            return calls;
        };
        for (const url of ["https://api.staging.example", "https://bot@api.example:8443/x", "http://[a.1]x", "http://u@[a.1-z]x"]) {
            expect(lowerCasings(url), url).to.equal(0);
        }
        for (const url of ["https://API.staging.example", "https://bot@Api.example:8443/x", "http://[A]x", "http://[::1]"]) {
            expect(lowerCasings(url), url).to.equal(1);
        }
    });

    it("returns undefined for what is not scheme://host", () => {
        for (const value of [
            "api.staging.netrasystems.ai",
            "auth-service:8080",
            "https://",
            "https:///path",
            "//staging.example",
            "https://host:port",
            "staging",
        ]) {
            expect(hostnameOf(value), value).to.equal(undefined);
        }
    });
});

describe("readVariable", () => {
    it("trims, and treats unset, empty and blank values alike", () => {
        expect(readVariable({ K_SERVICE: "  netra-api\n" }, "K_SERVICE")).to.equal("netra-api");
        expect(readVariable({ K_SERVICE: " \t " }, "K_SERVICE")).to.equal(undefined);
        expect(readVariable({ K_SERVICE: "" }, "K_SERVICE")).to.equal(undefined);
        expect(readVariable({}, "K_SERVICE")).to.equal(undefined);
    });

    it("trims white space at either end alone, ASCII or not, and keeps a value with visible ends as it is", () => {
        const cases: [string, string][] = [
            [" netra-api", "netra-api"],
            ["netra-api ", "netra-api"],
            ["\tnetra-api", "netra-api"],
            ["netra-api\r", "netra-api"],
            ["\u00a0netra-api", "netra-api"],
            ["netra-api\u00a0", "netra-api"],
            ["\ufeffnetra-api", "netra-api"],
            ["netra-api\u3000", "netra-api"],
            ["!netra api~", "!netra api~"],
            ["\u007fnetra\u007f", "\u007fnetra\u007f"],
            ["\u00e9t\u00e9", "\u00e9t\u00e9"],
            ["\u0085netra\u009f", "\u0085netra\u009f"],
            ["\u0021", "\u0021"],
            ["a", "a"],
        ];
        for (const [value, expected] of cases) {
            expect(readVariable({ K_SERVICE: value }, "K_SERVICE"), JSON.stringify(value)).to.equal(expected);
        }
    });
});

describe("readVariable's fast path", () => {
    it("keeps a value whose ends are visible ASCII or C1 units without calling trim()", () => {
        const trim = Object.getOwnPropertyDescriptor(String.prototype, "trim") as PropertyDescriptor;
        const trims = (value: string): number => {
            let calls = 0;
            Object.defineProperty(String.prototype, "trim", {
                ...trim,
                value(this: string): string {
                    calls += 1;
                    return (trim.value as () => string).call(this);
                },
            });
            try {
                readVariable({ K_SERVICE: value }, "K_SERVICE");
            } finally {
                Object.defineProperty(String.prototype, "trim", trim);
            }
            return calls;
        };
        for (const value of ["netra-api", "!", "~netra api!", "\u0021\u009f", "\u009fx\u0021"]) {
            expect(trims(value), JSON.stringify(value)).to.equal(0);
        }
        for (const value of [" netra-api", "netra-api ", "\u00a0x", "x\u00a0", "\u0020", ""]) {
            expect(trims(value), JSON.stringify(value)).to.equal(1);
        }
    });
});

describe("readSignals", () => {
    it("takes as Cloud Run markers only variables Cloud Run reserves, so no deploy config can fake the platform", () => {
        for (const name of [...CLOUD_RUN_SERVICE_VARIABLES, ...CLOUD_RUN_JOB_NAME_VARIABLES, ...CLOUD_RUN_WORKER_POOL_VARIABLES]) {
            expect(isReservedEnvName(name), name).to.equal(true);
        }
        for (const name of [...PROJECT_ID_VARIABLES, ...SERVICE_URL_VARIABLES]) {
            expect(isReservedEnvName(name), name).to.equal(false);
        }
    });

    /** Every signal variable, in the order signals are reported, written out (the contract of the CLI's JSON). */
    const SIGNAL_ORDER = [
        "K_SERVICE",
        "K_REVISION",
        "K_CONFIGURATION",
        "CLOUD_RUN_JOB",
        "CLOUD_RUN_EXECUTION",
        "CLOUD_RUN_WORKER_POOL",
        "CLOUD_RUN_WORKER_POOL_REVISION",
        "GCP_PROJECT_ID",
        "GOOGLE_CLOUD_PROJECT",
        "GCLOUD_PROJECT",
        "BACKEND_URL",
        "AUTH_SERVICE_URL",
        "FRONTEND_URL",
        "NEXT_PUBLIC_API_URL",
        "NEXT_PUBLIC_WS_URL",
        "NEXT_PUBLIC_AUTH_URL",
        "NEXT_PUBLIC_FRONTEND_URL",
    ];

    it("reads the Cloud Run names, then the project ids, then the service URLs", () => {
        expect(SIGNAL_VARIABLES).to.deep.equal(SIGNAL_ORDER);
    });

    it("reports signals in that order, whatever the order of the environment", () => {
        const env = Object.fromEntries(
            [...SIGNAL_ORDER].reverse().map((name) => [name, name.endsWith("_URL") ? "https://netra.example" : "netra"]),
        );
        expect(Object.keys(readSignals(env).signals)).to.deep.equal(SIGNAL_ORDER);
    });

    it("calls a process with both service and job variables a Cloud Run service", () => {
        expect(readSignals({ CLOUD_RUN_JOB: "netra-migrate", K_SERVICE: "netra-api" }).platform).to.equal("cloud-run-service");
        expect(readSignals({ CLOUD_RUN_EXECUTION: "netra-migrate-x7k2p" }).platform).to.equal("cloud-run-job");
        expect(readSignals({ GCP_PROJECT_ID: "netra-staging" }).platform).to.equal(null);
    });

    it("returns objects of its own, so a caller changing a result cannot change the next call's answer", () => {
        const env = { K_SERVICE: "netra-backend-staging" };
        const first = readSignals(env);
        expect(() => (first.signals.K_SERVICE.environments as string[]).push("production")).to.throw(TypeError);
        (first.signals as Record<string, unknown>).K_SERVICE = { value: "netra-backend-production", environments: ["production"] };
        expect(readSignals(env).signals).to.deep.equal({ K_SERVICE: { value: "netra-backend-staging", environments: ["staging"] } });
    });

    it("answers the same for a value met again after hundreds of others", () => {
        const first = readSignals({ K_SERVICE: "netra-backend-staging", BACKEND_URL: "https://api.prod.example" }).signals;
        for (let index = 0; index < 600; index += 1) {
            readSignals({ K_SERVICE: `netra-${index}-dev`, BACKEND_URL: `https://api-${index}.test.example` });
        }
        expect(readSignals({ K_SERVICE: "netra-backend-staging", BACKEND_URL: "https://api.prod.example" }).signals).to.deep.equal(first);
        expect(readSignals({ K_SERVICE: "netra-599-dev" }).signals.K_SERVICE.environments).to.deep.equal(["development"]);
    });
});
