/**
 * A labelled corpus of Cloud Run variables for cloudrun-no-plaintext-secrets. The non-secret half is
 * real configuration, as the public documentation of common frameworks and Google Cloud names it
 * (Django, Flask, Rails, Spring Boot, Node.js, Next.js, Go, Celery, OpenTelemetry, Sentry, Datadog,
 * Cloud Run, Cloud SQL, Pub/Sub emulators, ADC's GOOGLE_APPLICATION_CREDENTIALS), including names
 * with a secret word in a non-secret position and mounted-secret paths. The secret half is generated
 * at run time (see key-material-samples.ts): nothing key-shaped is committed.
 */
import { KEY_MATERIAL_FORMS, randomText } from "./key-material-samples";

/** One labelled entry. */
export interface CorpusEntry {
    readonly name: string;
    readonly value: string;
    readonly secret: boolean;
    /** Where the entry comes from, or the form of key material it holds. */
    readonly source: string;
}

const config = (source: string, entries: Record<string, string>): CorpusEntry[] =>
    Object.entries(entries).map(([name, value]) => ({ name, value, secret: false, source }));

/** Configuration that is not a secret: every one must pass. */
export const NON_SECRET_ENTRIES: readonly CorpusEntry[] = [
    ...config("Django settings", {
        DJANGO_SETTINGS_MODULE: "mysite.settings.production",
        DJANGO_ALLOWED_HOSTS: "api.staging.netrasystems.ai,localhost",
        DJANGO_DEBUG: "False",
        DJANGO_LOG_LEVEL: "INFO",
        CSRF_TRUSTED_ORIGINS: "https://staging.netrasystems.ai",
        SESSION_COOKIE_AGE: "1209600",
        CSRF_COOKIE_NAME: "csrftoken",
        SECRET_KEY_FALLBACKS_COUNT: "2",
    }),
    ...config("Flask configuration", {
        FLASK_APP: "app:create_app",
        FLASK_DEBUG: "0",
        FLASK_RUN_PORT: "8080",
        PERMANENT_SESSION_LIFETIME: "2678400",
        SESSION_COOKIE_SECURE: "true",
    }),
    ...config("Rails guides", {
        RAILS_ENV: "production",
        RAILS_LOG_TO_STDOUT: "enabled",
        RAILS_SERVE_STATIC_FILES: "true",
        RAILS_MAX_THREADS: "5",
        WEB_CONCURRENCY: "2",
        RAILS_MASTER_KEY_PATH: "/run/secrets/master.key",
    }),
    ...config("Spring Boot externalized configuration", {
        SPRING_PROFILES_ACTIVE: "cloud,staging",
        SERVER_PORT: "8080",
        SPRING_DATASOURCE_URL: "jdbc:postgresql://10.20.0.3:5432/orders",
        SPRING_DATASOURCE_USERNAME: "orders",
        JAVA_TOOL_OPTIONS: "-XX:MaxRAMPercentage=75.0",
        MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: "health,info,prometheus",
        SPRING_CLOUD_GCP_PROJECT_ID: "netra-staging",
        SPRING_CLOUD_GCP_CREDENTIALS_LOCATION: "file:/var/secrets/google/key.json",
    }),
    ...config("Node.js and Next.js", {
        NODE_ENV: "production",
        NODE_OPTIONS: "--max-old-space-size=2048 --enable-source-maps",
        NEXT_TELEMETRY_DISABLED: "1",
        NEXT_PUBLIC_API_URL: "https://api.staging.netrasystems.ai",
        NEXT_PUBLIC_WS_URL: "wss://api.staging.netrasystems.ai",
        NEXT_PUBLIC_AUTH_URL: "https://auth.staging.netrasystems.ai",
        HOSTNAME: "0.0.0.0",
        UV_THREADPOOL_SIZE: "16",
        NPM_CONFIG_LOGLEVEL: "warn",
    }),
    ...config("Python runtime", {
        PYTHONUNBUFFERED: "1",
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONPATH: "/app/src",
        GUNICORN_CMD_ARGS: "--workers 4 --timeout 600 --bind 0.0.0.0:8000",
        UVICORN_WORKERS: "4",
        PIP_NO_CACHE_DIR: "off",
    }),
    ...config("Go runtime", {
        GOMAXPROCS: "4",
        GODEBUG: "http2client=0",
        GOMEMLIMIT: "900MiB",
        GOTRACEBACK: "single",
    }),
    ...config("Google Cloud client libraries and Cloud Run docs", {
        GOOGLE_CLOUD_PROJECT: "netra-staging",
        GCLOUD_PROJECT: "netra-staging",
        GOOGLE_CLOUD_REGION: "us-central1",
        GOOGLE_CLOUD_QUOTA_PROJECT: "netra-staging",
        GOOGLE_APPLICATION_CREDENTIALS: "/var/secrets/google/key.json",
        CLOUDSDK_CORE_PROJECT: "netra-staging",
        CLOUDSDK_COMPUTE_REGION: "us-central1",
        GCE_METADATA_HOST: "metadata.google.internal",
        PUBSUB_EMULATOR_HOST: "localhost:8085",
        FIRESTORE_EMULATOR_HOST: "localhost:8080",
        DATASTORE_EMULATOR_HOST: "localhost:8081",
        STORAGE_EMULATOR_HOST: "http://localhost:9023",
        SPANNER_EMULATOR_HOST: "localhost:9010",
        BIGTABLE_EMULATOR_HOST: "localhost:8086",
        GRPC_DNS_RESOLVER: "native",
        GRPC_VERBOSITY: "ERROR",
        INSTANCE_CONNECTION_NAME: "netra-staging:us-central1:staging-shared-postgres",
        DB_SOCKET_DIR: "/cloudsql",
        INSTANCE_UNIX_SOCKET: "/cloudsql/netra-staging:us-central1:staging-shared-postgres",
        PUBSUB_TOPIC: "projects/netra-staging/topics/agent-events",
        PUBSUB_SUBSCRIPTION: "projects/netra-staging/subscriptions/agent-events-worker",
        GCS_BUCKET: "gs://netra-staging-uploads",
        KMS_KEY_NAME: "projects/netra-staging/locations/global/keyRings/app/cryptoKeys/uploads",
        CRYPTO_KEY_RING: "projects/netra-staging/locations/global/keyRings/app",
        SECRET_MANAGER_PROJECT: "netra-staging",
        SECRET_VOLUME_PATH: "/secrets",
        FUNCTION_REGION: "us-central1",
        TASKS_QUEUE: "projects/netra-staging/locations/us-central1/queues/default",
        ID_TOKEN_AUDIENCE: "https://netra-backend-staging-abc123-uc.a.run.app",
        GOOGLE_OAUTH_REDIRECT_URI: "https://auth.staging.netrasystems.ai/auth/callback",
        GOOGLE_CLIENT_ID: "123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com",
    }),
    ...config("Celery, Redis and databases without credentials", {
        CELERY_BROKER_URL: "redis://10.0.0.7:6379/0",
        CELERY_RESULT_BACKEND: "redis://10.0.0.7:6379/1",
        REDIS_URL: "redis://redis.internal:6379",
        REDIS_HOST: "10.0.0.7",
        REDIS_CONNECTION_POOL_SIZE: "50",
        DATABASE_HOST: "10.20.0.3",
        DATABASE_NAME: "netra",
        POSTGRES_USER: "netra",
        POSTGRES_DB: "netra",
        MONGODB_URI: "mongodb://mongo.internal:27017/app?replicaSet=rs0",
        AMQP_URL: "amqp://mq.internal:5672/jobs",
        DATABASE_URL_TEMPLATE: "postgres://netra:${DB_PASSWORD}@10.20.0.3:5432/netra",
        ELASTICSEARCH_URL: "https://search.internal:9200",
        CLICKHOUSE_HOST: "clickhouse.staging.netrasystems.ai",
        CLICKHOUSE_PORT: "8443",
        CLICKHOUSE_USER: "default",
    }),
    ...config("OpenTelemetry, Sentry and Datadog", {
        OTEL_SERVICE_NAME: "netra-backend",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4317",
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=staging,service.version=1.4.2",
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.1",
        SENTRY_ENVIRONMENT: "staging",
        SENTRY_TRACES_SAMPLE_RATE: "0.2",
        SENTRY_RELEASE: "0d8b3c7f9a1e2b4c6d8e0f1a3b5c7d9e1f2a4b6c",
        DD_ENV: "staging",
        DD_SERVICE: "netra-backend",
        DD_VERSION: "1.4.2",
        DD_AGENT_HOST: "localhost",
        DD_TRACE_ENABLED: "true",
        DD_LOGS_INJECTION: "true",
    }),
    ...config("build metadata", {
        GIT_COMMIT_SHA: "9fceb02d0ae598e95dc970b74767f19372d61af8",
        SOURCE_VERSION: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        IMAGE_DIGEST: "sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b",
        BUILD_ID: "c2a7f6e0-4f5b-4c1e-9a0d-7d6f8e9b0a1c",
        APP_VERSION: "2026.12.1",
        K8S_POD_TEMPLATE_HASH: "5d9f7c6b8",
    }),
    ...config("Netra staging (reference)", {
        ENVIRONMENT: "staging",
        GCP_PROJECT_ID: "netra-staging",
        AUTH_SERVICE_URL: "https://auth.staging.netrasystems.ai",
        AUTH_SERVICE_ENABLED: "true",
        FRONTEND_URL: "https://staging.netrasystems.ai",
        BACKEND_URL: "https://api.staging.netrasystems.ai",
        FORCE_HTTPS: "true",
        CLICKHOUSE_SECURE: "true",
        WEBSOCKET_CONNECTION_TIMEOUT: "240",
        WEBSOCKET_HEARTBEAT_INTERVAL: "15",
        JWT_ALGORITHM: "HS256",
        JWT_ACCESS_EXPIRY_MINUTES: "15",
        JWT_REFRESH_EXPIRY_DAYS: "7",
        SESSION_TTL_HOURS: "24",
        SECURE_HEADERS_ENABLED: "true",
    }),
    ...config("secret words in a non-secret position", {
        TOKEN_EXPIRY_SECONDS: "3600",
        SIGNING_KEY_VERSION: "3",
        SERVICE_ACCOUNT_KEY_PATH: "/var/secrets/sa.json",
        PASSWORD_MIN_LENGTH: "12",
        PASSWORD_RESET_TTL_MINUTES: "30",
        API_KEY_HEADER: "X-API-Key",
        API_KEY_ENABLED: "false",
        OAUTH_TOKEN_URL: "https://oauth2.googleapis.com/token",
        TOKEN_ENDPOINT: "https://oauth2.googleapis.com/token",
        KEY_ROTATION_DAYS: "90",
        CSRF_TOKEN_HEADER_NAME: "X-CSRF-Token",
        SECRET_NAME: "jwt-secret-staging",
        SECRETS_DIR: "/run/secrets",
        CREDENTIALS_FILE: "/etc/netra/credentials.json",
        TLS_KEY_FILE: "/etc/tls/tls.key",
        JWT_PUBLIC_KEY_URL: "https://www.googleapis.com/oauth2/v3/certs",
        JWT_PUBLIC_KEY: "https://auth.staging.netrasystems.ai/.well-known/jwks.json",
        STRIPE_PUBLISHABLE_KEY_ENABLED: "true",
        PRIVATE_NETWORK_NAME: "staging-vpc",
        KEYCLOAK_REALM: "netra",
        TOKEN_AUDIENCE: "netra-api",
        SECRET_ROTATION_WEBHOOK_URL: "https://hooks.staging.netrasystems.ai/rotation",
    }),
];

/** Variables whose name marks a secret, given as a plaintext literal: each must be refused by name. */
const SECRET_NAMES = [
    "POSTGRES_PASSWORD",
    "REDIS_PASSWORD",
    "DB_PASS",
    "MYSQL_PWD",
    "JWT_SECRET_KEY",
    "SECRET_KEY",
    "SECRET_KEY_BASE",
    "FERNET_KEY",
    "OPENAI_API_KEY",
    "GEMINI_API_KEY",
    "STRIPE_SECRET_KEY",
    "GITHUB_TOKEN",
    "SLACK_BOT_TOKEN",
    "OAUTH_HMAC_SECRET",
    "GOOGLE_CLIENT_SECRET",
    "GOOGLE_OAUTH_CLIENT_SECRET_STAGING",
    "SIGNING_PASSPHRASE",
    "GPG_PASSPHRASE",
    "SERVICE_CREDENTIALS",
    "API_KEY_2",
    "ENCRYPTION_KEY_B64",
    "dbPassword",
];

/** Neutral names under which generated key material is set: the value alone must give it away. */
const NEUTRAL_NAMES = ["BOOTSTRAP_VALUE", "UPSTREAM", "CONFIG_BLOB", "MAPS", "AUTH_HEADER"];

/** The secret half, generated afresh on every run. */
export function secretEntries(): CorpusEntry[] {
    const byName = SECRET_NAMES.map((name) => ({ name, value: randomText(12), secret: true, source: "secret name" }));
    const byForm = KEY_MATERIAL_FORMS.flatMap((form) =>
        NEUTRAL_NAMES.map((name) => ({ name, value: form.make(), secret: true, source: form.form })),
    );
    return [...byName, ...byForm];
}

/**
 * Secrets the pack does not claim to catch: a short random password under a neutral name is
 * indistinguishable from configuration by form alone. Counted in the recall figure, not asserted caught.
 */
export function unclaimedSecretEntries(): CorpusEntry[] {
    return ["LEGACY_UPSTREAM", "X", "BOOTSTRAP", "CONN"].map((name) => ({
        name,
        value: randomText(14, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%&"),
        secret: true,
        source: "short random password under a neutral name",
    }));
}
