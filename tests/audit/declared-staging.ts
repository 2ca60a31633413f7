/**
 * What the live staging project looks like when it runs exactly what the program declares: the
 * program's registered Cloud Run services rendered as `gcloud run services list --format=json`
 * prints them (Knative JSON), each secret's grants as `gcloud secrets get-iam-policy`, and the
 * project's grants as `gcloud projects get-iam-policy`. Generated from the program on every run, so
 * a service added to the stack file is in it too.
 */
import { normalizeWireValue } from "../../check/analyzer-wire";
import type { RecordedResource } from "../../check/run-program";
import { runNetraStack } from "../support/mock-stack";
import { stagingStackFile } from "../support/staging-fixture";

type Json = Record<string, unknown>;

interface V2Env {
    name: string;
    value?: string;
    valueSource?: { secretKeyRef: { secret: string; version: string } };
}

interface V2Container {
    name: string;
    image: string;
    ports: { containerPort: number };
    resources: { limits: Record<string, string> };
    envs: V2Env[];
    volumeMounts?: { name: string; mountPath: string }[];
}

interface V2Service {
    name: string;
    location: string;
    project: string;
    labels: Record<string, string>;
    template: {
        serviceAccount: string;
        timeout: string;
        maxInstanceRequestConcurrency: number;
        scaling: { minInstanceCount: number; maxInstanceCount: number };
        containers: V2Container[];
    };
}

/** Registered inputs as plain values (the mock run records them in wire form). */
function plainInputs(resource: RecordedResource): Json {
    const unwrap = (value: unknown): unknown => {
        if (Array.isArray(value)) {
            return value.map(unwrap);
        }
        if (typeof value === "object" && value !== null) {
            const record = value as Json;
            if ("4dabf18193072939515e22adb298388d" in record) {
                return unwrap(record.value);
            }
            return Object.fromEntries(Object.entries(record).map(([key, element]) => [key, unwrap(element)]));
        }
        return value;
    };
    return unwrap(normalizeWireValue(resource.inputs)) as Json;
}

/** One declared v2 service as gcloud's Knative JSON shows it once deployed. */
function knativeServiceOf(service: V2Service): Json {
    const { template } = service;
    return {
        apiVersion: "serving.knative.dev/v1",
        kind: "Service",
        metadata: {
            name: service.name,
            namespace: "123456789012",
            labels: { ...service.labels, "cloud.googleapis.com/location": service.location },
            annotations: { "run.googleapis.com/ingress": "all", "serving.knative.dev/creator": "deployer@example.com" },
        },
        spec: {
            template: {
                metadata: {
                    annotations: {
                        "autoscaling.knative.dev/minScale": String(template.scaling.minInstanceCount),
                        "autoscaling.knative.dev/maxScale": String(template.scaling.maxInstanceCount),
                        "run.googleapis.com/execution-environment": "gen2",
                    },
                },
                spec: {
                    containerConcurrency: template.maxInstanceRequestConcurrency,
                    timeoutSeconds: Number.parseInt(template.timeout, 10),
                    serviceAccountName: template.serviceAccount,
                    containers: template.containers.map((container) => ({
                        name: container.name,
                        image: container.image,
                        ports: [{ name: "http1", containerPort: container.ports.containerPort }],
                        env: container.envs.map((env) =>
                            env.valueSource === undefined
                                ? { name: env.name, value: env.value }
                                : {
                                      name: env.name,
                                      valueFrom: {
                                          secretKeyRef: {
                                              name: env.valueSource.secretKeyRef.secret,
                                              key: env.valueSource.secretKeyRef.version,
                                          },
                                      },
                                  },
                        ),
                        resources: { limits: container.resources.limits },
                        ...(container.volumeMounts === undefined ? {} : { volumeMounts: container.volumeMounts }),
                    })),
                },
            },
            traffic: [{ percent: 100, latestRevision: true }],
        },
        status: { url: `https://${service.name}-abcdefghij-uc.a.run.app` },
    };
}

/** Role -> members, as an IAM policy document lists them. */
function policyOf(grants: readonly Json[]): Json {
    const byRole = new Map<string, string[]>();
    for (const grant of grants) {
        byRole.set(String(grant.role), [...(byRole.get(String(grant.role)) ?? []), String(grant.member)]);
    }
    return { bindings: [...byRole].map(([role, members]) => ({ role, members: members.sort() })), etag: "BwYAAAAAAAA=", version: 1 };
}

/** The export files (file name -> document) of a staging project running exactly what the program declares. */
export async function declaredStagingExports(): Promise<Record<string, unknown>> {
    const { resources } = await runNetraStack(stagingStackFile().config);
    const ofType = (type: string) => resources.filter((resource) => resource.type === type).map(plainInputs);
    const files: Record<string, unknown> = {
        "services.json": ofType("gcp:cloudrunv2/service:Service").map((service) => knativeServiceOf(service as unknown as V2Service)),
    };
    const secretGrants = new Map<string, Json[]>();
    for (const grant of ofType("gcp:secretmanager/secretIamMember:SecretIamMember")) {
        secretGrants.set(String(grant.secretId), [...(secretGrants.get(String(grant.secretId)) ?? []), grant]);
    }
    for (const [secretId, grants] of secretGrants) {
        files[`${secretId}.secret-iam.json`] = policyOf(grants);
    }
    const project = stagingStackFile().config["gcp:project"];
    files[`${project}.project-iam.json`] = policyOf([
        ...ofType("gcp:projects/iAMMember:IAMMember"),
        { role: "roles/owner", member: "group:platform-admins@example.com" },
    ]);
    return files;
}
