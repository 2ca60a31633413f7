import { ENVIRONMENT_VARIABLE, type EnvironmentName } from "../detector/environments";
import { E2E_KEY_ENV_NAME } from "../rules/e2e-key";

/** Variables the platform sets on every service; config may not spell them. */
export const PLATFORM_ENV_NAMES: readonly string[] = [
    ENVIRONMENT_VARIABLE,
    "GCP_PROJECT_ID",
    "BACKEND_URL",
    "AUTH_SERVICE_URL",
    "FRONTEND_URL",
];

/** Next.js public variables derived for services with `nextPublicEnv`. */
export const NEXT_PUBLIC_ENV_NAMES: readonly string[] = [
    "NEXT_PUBLIC_ENVIRONMENT",
    "NEXT_PUBLIC_API_URL",
    "NEXT_PUBLIC_WS_URL",
    "NEXT_PUBLIC_AUTH_URL",
    "NEXT_PUBLIC_FRONTEND_URL",
];

/** Every name the components own: config that spells one of these is rejected. */
export const MANAGED_ENV_NAMES: readonly string[] = [...PLATFORM_ENV_NAMES, ...NEXT_PUBLIC_ENV_NAMES, E2E_KEY_ENV_NAME];

/** Public URLs of Netra's services, all derived from the stack's domain (the old script disagreed with itself). */
export interface ServiceUrls {
    readonly frontend: string;
    readonly api: string;
    readonly websocket: string;
    readonly auth: string;
}

/** `staging.netrasystems.ai` -> frontend at the bare domain, API at `api.`, auth at `auth.`. */
export function serviceUrls(domain: string): ServiceUrls {
    return {
        frontend: `https://${domain}`,
        api: `https://api.${domain}`,
        websocket: `wss://api.${domain}`,
        auth: `https://auth.${domain}`,
    };
}

/** A plain variable as Cloud Run takes it. */
export interface PlainEnv {
    readonly name: string;
    readonly value: string;
}

/** What the platform variables are computed from. */
export interface PlatformEnvArgs {
    readonly environment: EnvironmentName;
    readonly gcpProject: string;
    readonly domain: string;
    readonly nextPublicEnv: boolean;
}

/**
 * The variables the platform owns, ENVIRONMENT first. A service never gets to choose these:
 * a deploy path that forgot ENVIRONMENT is what made the backend believe it was in development.
 */
export function platformEnvironment(args: PlatformEnvArgs): PlainEnv[] {
    const urls = serviceUrls(args.domain);
    const env: PlainEnv[] = [
        { name: ENVIRONMENT_VARIABLE, value: args.environment },
        { name: "GCP_PROJECT_ID", value: args.gcpProject },
        { name: "BACKEND_URL", value: urls.api },
        { name: "AUTH_SERVICE_URL", value: urls.auth },
        { name: "FRONTEND_URL", value: urls.frontend },
    ];
    if (args.nextPublicEnv) {
        env.push(
            { name: "NEXT_PUBLIC_ENVIRONMENT", value: args.environment },
            { name: "NEXT_PUBLIC_API_URL", value: urls.api },
            { name: "NEXT_PUBLIC_WS_URL", value: urls.websocket },
            { name: "NEXT_PUBLIC_AUTH_URL", value: urls.auth },
            { name: "NEXT_PUBLIC_FRONTEND_URL", value: urls.frontend },
        );
    }
    return env;
}
