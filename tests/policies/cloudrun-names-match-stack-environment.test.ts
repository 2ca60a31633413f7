import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { cloudrunNamesMatchStackEnvironment } from "../../policies/cloudrun-names-match-stack-environment";
import { NOT_A_WORKLOAD } from "../../policies/lib/workloads";
import { runResourcePolicy, UNKNOWN_VALUE, withStackName } from "./harness";

const SERVICE = "gcp:cloudrunv2/service:Service";
const PRODUCTION = { environment: "production" };

/** A production backend as the program declares it: every name and host says production or nothing. */
function productionBackend(): Record<string, unknown> {
    return {
        name: "netra-backend-production",
        project: "netra-production",
        location: "us-central1",
        template: {
            serviceAccount: "netra-backend-production-run@netra-production.iam.gserviceaccount.com",
            vpcAccess: {
                connector: "projects/netra-production/locations/us-central1/connectors/production-connector",
                egress: "PRIVATE_RANGES_ONLY",
            },
            volumes: [{ name: "cloudsql", cloudSqlInstance: { instances: ["netra-production:us-central1:netra-postgres"] } }],
            containers: [
                {
                    name: "backend",
                    image: "gcr.io/netra-production/netra-backend-production:latest",
                    envs: [
                        { name: "ENVIRONMENT", value: "production" },
                        { name: "AUTH_SERVICE_URL", value: "https://auth.netrasystems.ai" },
                        { name: "CLICKHOUSE_HOST", value: "clickhouse.netrasystems.ai" },
                        // Next.js's build mode, not an environment: plain values are read only as URLs or hosts.
                        { name: "NODE_ENV", value: "development" },
                        { name: "POSTGRES_HOST", valueSource: { secretKeyRef: { secret: "postgres-host-production", version: "latest" } } },
                    ],
                },
            ],
        },
    };
}

type Edit = (props: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely

async function violationsOf(edit: Edit, config: Record<string, unknown> = PRODUCTION, stack = "production"): Promise<string[]> {
    const props = productionBackend();
    edit(props);
    const run = await withStackName(stack, () =>
        runResourcePolicy(cloudrunNamesMatchStackEnvironment, { type: SERVICE, props, name: "backend-service", config }),
    );
    return run.violations;
}

const TAIL = "but this stack's environment is production; use production's (or a name that names no environment).";

describe("policy cloudrun-names-match-stack-environment", () => {
    it("is mandatory and takes the stack's environment from its config", () => {
        expect(cloudrunNamesMatchStackEnvironment.enforcementLevel).to.equal("mandatory");
        expect(cloudrunNamesMatchStackEnvironment.configSchema?.properties.environment).to.deep.include({ type: "string" });
    });

    it("accepts a workload whose names and hosts name production or nothing", async () => {
        expect(await violationsOf(() => undefined)).to.deep.equal([]);
    });

    const cases: { rule: string; edit: Edit; message: string }[] = [
        {
            rule: "rejects a service name that still names staging (the detector reads it as K_SERVICE)",
            edit: (props) => (props.name = "netra-backend-staging"),
            message: `Cloud Run service "backend-service": its name "netra-backend-staging" names staging, ${TAIL}`,
        },
        {
            rule: "rejects staging's project",
            edit: (props) => (props.project = "netra-staging"),
            message: `Cloud Run service "backend-service": its project "netra-staging" names staging, ${TAIL}`,
        },
        {
            rule: "rejects staging's VPC connector",
            edit: (props) =>
                (props.template.vpcAccess.connector = "projects/netra-production/locations/us-central1/connectors/staging-connector-v2"),
            message: `Cloud Run service "backend-service": its VPC connector "projects/netra-production/locations/us-central1/connectors/staging-connector-v2" names staging, ${TAIL}`,
        },
        {
            rule: "rejects staging's Cloud SQL instance",
            edit: (props) =>
                (props.template.volumes[0].cloudSqlInstance.instances = ["netra-production:us-central1:staging-shared-postgres"]),
            message: `Cloud Run service "backend-service": its Cloud SQL instance "netra-production:us-central1:staging-shared-postgres" names staging, ${TAIL}`,
        },
        {
            rule: "rejects staging's image",
            edit: (props) => (props.template.containers[0].image = "gcr.io/netra-staging/netra-backend-staging:latest"),
            message: `Cloud Run service "backend-service": the image "gcr.io/netra-staging/netra-backend-staging:latest" of Container "backend" names staging, ${TAIL}`,
        },
        {
            rule: "rejects a host of staging in a plain variable",
            edit: (props) => (props.template.containers[0].envs[2].value = "clickhouse.staging.netrasystems.ai"),
            message: `Cloud Run service "backend-service": the host of CLICKHOUSE_HOST in Container "backend" names staging, ${TAIL}`,
        },
        {
            rule: "reads only the hostname of a URL, never its credentials",
            // A generated password: a credential is never a literal in the repository.
            edit: (props) =>
                (props.template.containers[0].envs[1].value = `https://user:${randomBytes(6).toString("hex")}-dev@auth.dev.netrasystems.ai/login`),
            message: `Cloud Run service "backend-service": the host of AUTH_SERVICE_URL in Container "backend" names development, ${TAIL}`,
        },
        {
            rule: "rejects a secret id of staging",
            edit: (props) => (props.template.containers[0].envs[4].valueSource.secretKeyRef.secret = "postgres-host-staging"),
            message: `Cloud Run service "backend-service": the secret "postgres-host-staging" that Container "backend" reads as POSTGRES_HOST names staging, ${TAIL}`,
        },
    ];
    for (const { rule, edit, message } of cases) {
        it(rule, async () => expect(await violationsOf(edit)).to.deep.equal([message]));
    }

    it("reads names token by token: `stagingarea` and `netra-product-api` name nothing", async () => {
        expect(
            await violationsOf((props) => {
                props.name = "netra-product-api";
                props.template.containers[0].envs[2].value = "stagingarea.netrasystems.ai";
            }),
        ).to.deep.equal([]);
    });

    it("reads no top-level domain: Artifact Registry's `*-docker.pkg.dev` and a `.dev` host name nothing", async () => {
        expect(
            await violationsOf((props) => {
                props.template.containers[0].image = "us-docker.pkg.dev/netra-production/images/netra-backend:1.4.2";
                props.template.containers[0].envs[2].value = "clickhouse.netra.dev";
                props.template.containers[0].envs[1].value = "https://auth.netrasystems.dev/login";
            }),
        ).to.deep.equal([]);
    });

    it("still reads a registry's own labels and an image's tag", async () => {
        expect(
            await violationsOf((props) => {
                props.template.containers[0].image = "registry.staging.netrasystems.ai/netra/backend:1.4.2";
                props.template.containers[0].envs[2].value = "clickhouse.staging.dev";
            }),
        ).to.deep.equal([
            `Cloud Run service "backend-service": the image "registry.staging.netrasystems.ai/netra/backend:1.4.2" of Container "backend" names staging, ${TAIL}`,
            `Cloud Run service "backend-service": the host of CLICKHOUSE_HOST in Container "backend" names staging, ${TAIL}`,
        ]);
        expect(
            await violationsOf((props) => {
                props.template.containers[0].image = "gcr.io/netra-production/netra-backend:staging-1.4";
            }),
        ).to.deep.equal([
            `Cloud Run service "backend-service": the image "gcr.io/netra-production/netra-backend:staging-1.4" of Container "backend" names staging, ${TAIL}`,
        ]);
    });

    it("reads a digest-pinned image by its registry and repository: the digest names nothing", async () => {
        const digest = `sha256:${"ab12".repeat(16)}`;
        expect(
            await violationsOf((props) => {
                props.template.containers[0].image = `gcr.io/netra-production/netra-backend@${digest}`;
            }),
        ).to.deep.equal([]);
        expect(
            await violationsOf((props) => {
                props.template.containers[0].image = `gcr.io/netra-staging/netra-backend@${digest}`;
            }),
        ).to.deep.equal([
            // Shown cut to 77 characters.
            `Cloud Run service "backend-service": the image "gcr.io/netra-staging/netra-backend@sha256:ab12ab12ab12ab12ab12ab12ab12ab12ab1..." of Container "backend" names staging, ${TAIL}`,
        ]);
    });

    it("accepts staging's names on the staging stack, decided by the stack name when the config is silent", async () => {
        const onStaging = await violationsOf(
            (props) => {
                props.name = "netra-backend-staging";
                props.project = "netra-staging";
                props.template.containers[0].envs[2].value = "clickhouse.staging.netrasystems.ai";
                props.template.vpcAccess.connector = "projects/netra-staging/locations/us-central1/connectors/staging-connector-v2";
                props.template.volumes[0].cloudSqlInstance.instances = ["netra-staging:us-central1:netra-postgres"];
                props.template.containers[0].image = "gcr.io/netra-staging/netra-backend-staging:latest";
                props.template.containers[0].envs[4].valueSource.secretKeyRef.secret = "postgres-host-staging";
            },
            {},
            "staging",
        );
        expect(onStaging).to.deep.equal([]);
    });

    it("skips what is unknown during a preview", async () => {
        expect(
            await violationsOf((props) => {
                props.name = UNKNOWN_VALUE;
                props.template.containers[0].envs[2].value = UNKNOWN_VALUE;
            }),
        ).to.deep.equal([]);
    });

    it("says so when the stack's environment cannot be decided", async () => {
        expect(await violationsOf(() => undefined, {}, "blue")).to.deep.equal([
            'Cannot tell which environment this stack is: the policy config sets no "environment" and stack "blue" is not named after one. ' +
                'Set "environment" (one of development, test, staging, production) in the config of policy cloudrun-names-match-stack-environment, or name the stack after its environment.',
        ]);
    });

    describe("each shape's connector and Cloud SQL instances, where that shape keeps them", () => {
        const CONNECTOR = "projects/netra-production/locations/us-central1/connectors/staging-connector-v2";
        const judge = (type: string, props: Record<string, unknown>) =>
            withStackName("production", () =>
                runResourcePolicy(cloudrunNamesMatchStackEnvironment, {
                    type,
                    props: { name: "netra-api", ...props },
                    name: "api",
                    config: PRODUCTION,
                }),
            );

        it("reads a v1 service's revision annotations run.googleapis.com/vpc-access-connector and run.googleapis.com/cloudsql-instances", async () => {
            const annotations = {
                "run.googleapis.com/vpc-access-connector": CONNECTOR,
                "run.googleapis.com/cloudsql-instances":
                    "netra-production:us-central1:netra-postgres, netra-production:us-central1:staging-shared",
            };
            expect((await judge("gcp:cloudrun/service:Service", { template: { metadata: { annotations } } })).violations).to.deep.equal([
                `Cloud Run (v1) service "api": its VPC connector "${CONNECTOR}" names staging, ${TAIL}`,
                `Cloud Run (v1) service "api": its Cloud SQL instance "netra-production:us-central1:staging-shared" names staging, ${TAIL}`,
            ]);
        });

        it("reads a job's under template.template, and a function's serviceConfig.vpcConnector", async () => {
            const job = {
                template: {
                    template: { vpcAccess: { connector: CONNECTOR }, volumes: [{ cloudSqlInstance: { instances: ["p:r:staging-db"] } }] },
                },
            };
            expect((await judge("gcp:cloudrunv2/job:Job", job)).violations).to.deep.equal([
                `Cloud Run job "api": its VPC connector "${CONNECTOR}" names staging, ${TAIL}`,
                `Cloud Run job "api": its Cloud SQL instance "p:r:staging-db" names staging, ${TAIL}`,
            ]);
            expect(
                (await judge("gcp:cloudfunctionsv2/function:Function", { serviceConfig: { vpcConnector: CONNECTOR } })).violations,
            ).to.deep.equal([`Cloud Function (gen2) "api": its VPC connector "${CONNECTOR}" names staging, ${TAIL}`]);
        });
    });

    it("is not applicable to other resource types", async () => {
        const run = await runResourcePolicy(cloudrunNamesMatchStackEnvironment, {
            type: "gcp:storage/bucket:Bucket",
            props: { name: "staging" },
        });
        expect(run.notApplicable).to.equal(NOT_A_WORKLOAD);
    });

    it("is named cloudrun-names-match-stack-environment and describes itself in a full sentence", () => {
        expect(cloudrunNamesMatchStackEnvironment.name).to.equal("cloudrun-names-match-stack-environment");
        expect(cloudrunNamesMatchStackEnvironment.description).to.equal(
            "Names and hosts of every Cloud Run workload (its name, project, VPC connector, Cloud SQL instances, images, secret ids, " +
                "and plain variables holding a URL or host) name the stack's environment or none, read token by token as the detector reads them.",
        );
    });

    it("names every other environment a value names, joined by `and`", async () => {
        expect(await violationsOf((props) => (props.name = "netra-staging-dev-api"))).to.deep.equal([
            `Cloud Run service "backend-service": its name "netra-staging-dev-api" names staging and development, ${TAIL}`,
        ]);
    });

    it("reads a URL's host of one label, and a host name of one-character labels", async () => {
        expect(
            await violationsOf((props) => {
                props.template.containers[0].envs[1].value = "http://staging:8080/auth";
                props.template.containers[0].envs[2].value = "a.staging.b";
            }),
        ).to.deep.equal([
            `Cloud Run service "backend-service": the host of AUTH_SERVICE_URL in Container "backend" names staging, ${TAIL}`,
            `Cloud Run service "backend-service": the host of CLICKHOUSE_HOST in Container "backend" names staging, ${TAIL}`,
        ]);
    });

    it("reads a plain value as a host only when the whole value is one: not a sentence ending in one, nor a longer name", async () => {
        const longest = `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.staging.${"d".repeat(62)}`;
        expect(longest.length).to.equal(253);
        expect(
            await violationsOf((props) => {
                props.template.containers[0].envs[1].value = "see a.staging.example";
                props.template.containers[0].envs[2].value = "a.staging.example !";
                props.template.containers[0].envs[3].value = `${longest}e`;
            }),
        ).to.deep.equal([]);
        expect(await violationsOf((props) => (props.template.containers[0].envs[3].value = longest))).to.have.length(1);
    });

    it("reads a URL or host with spaces around it or in capitals", async () => {
        expect(
            await violationsOf((props) => {
                props.template.containers[0].envs[1].value = "  https://Auth.Staging.netrasystems.ai/login \n";
                props.template.containers[0].envs[2].value = " ClickHouse.Staging.netrasystems.ai ";
            }),
        ).to.deep.equal([
            `Cloud Run service "backend-service": the host of AUTH_SERVICE_URL in Container "backend" names staging, ${TAIL}`,
            `Cloud Run service "backend-service": the host of CLICKHOUSE_HOST in Container "backend" names staging, ${TAIL}`,
        ]);
    });

    it("never shows a variable's value, only its name and the environments its host names: the value may be a secret", async () => {
        const label = `cache-${randomBytes(6).toString("hex")}`;
        const violations = await violationsOf((props) => {
            props.template.containers[0].envs[2].value = `${label}.staging.internal`;
            props.template.containers[0].envs[1].value = `https://${label}.dev.netrasystems.ai/login`;
        });
        expect(violations).to.deep.equal([
            `Cloud Run service "backend-service": the host of AUTH_SERVICE_URL in Container "backend" names development, ${TAIL}`,
            `Cloud Run service "backend-service": the host of CLICKHOUSE_HOST in Container "backend" names staging, ${TAIL}`,
        ]);
        expect(violations.join("\n")).not.to.include(label);
    });

    it("reads an image it cannot parse as a whole name", async () => {
        expect(await violationsOf((props) => (props.template.containers[0].image = "netra-backend-staging"))).to.deep.equal([
            `Cloud Run service "backend-service": the image "netra-backend-staging" of Container "backend" names staging, ${TAIL}`,
        ]);
    });

    it("shows a value of up to 80 characters whole, and a longer one cut to 77 and `...`", async () => {
        const name80 = `netra-staging-${"a".repeat(66)}`;
        const name81 = `netra-staging-${"a".repeat(67)}`;
        expect(await violationsOf((props) => (props.name = name80))).to.deep.equal([
            `Cloud Run service "backend-service": its name "${name80}" names staging, ${TAIL}`,
        ]);
        expect(await violationsOf((props) => (props.name = name81))).to.deep.equal([
            `Cloud Run service "backend-service": its name "${name81.slice(0, 77)}..." names staging, ${TAIL}`,
        ]);
    });

    it("does not show a value holding other characters than a name or host has, wherever they are", async () => {
        for (const secret of [" postgres-host-staging", "postgres-host-staging\n", "postgres host staging"]) {
            expect(
                await violationsOf((props) => (props.template.containers[0].envs[4].valueSource.secretKeyRef.secret = secret)),
                JSON.stringify(secret),
            ).to.deep.equal([
                `Cloud Run service "backend-service": the secret (a value not shown) that Container "backend" reads as POSTGRES_HOST names staging, ${TAIL}`,
            ]);
        }
    });

    it("skips volumes, Cloud SQL instances and variable names not known yet, and still reads the rest", async () => {
        const project = `Cloud Run service "backend-service": its project "netra-staging" names staging, ${TAIL}`;
        expect(
            await violationsOf((props) => {
                props.template.volumes = UNKNOWN_VALUE;
                props.project = "netra-staging";
            }),
        ).to.deep.equal([project]);
        expect(
            await violationsOf((props) => {
                props.template.volumes[0].cloudSqlInstance.instances = UNKNOWN_VALUE;
                props.project = "netra-staging";
            }),
        ).to.deep.equal([project]);
        expect(
            await violationsOf((props) => {
                props.template.containers[0].envs[2].name = UNKNOWN_VALUE;
                props.template.containers[0].envs[2].value = "clickhouse.staging.netrasystems.ai";
                props.project = "netra-staging";
            }),
        ).to.deep.equal([project]);
    });

    it("reads a secret reference by its id only, never a literal value beside it, and skips an id not known yet", async () => {
        expect(
            await violationsOf((props) => {
                props.template.containers[0].envs[4].value = "https://auth.staging.netrasystems.ai";
                props.template.containers[0].envs[4].valueSource.secretKeyRef.secret = UNKNOWN_VALUE;
            }),
        ).to.deep.equal([]);
    });
});
