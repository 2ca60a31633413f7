/**
 * Makes the Output forms of invokes the offline check cannot answer (`getXOutput(...)`) unknown,
 * as a first `pulumi preview` sees a data source whose inputs are not yet known: the program's
 * `apply` callbacks on them do not run, and resources that take them get unknown inputs. The mock's
 * `call` cannot do this itself: the SDK marks an invoke's result known whatever it holds
 * (@pulumi/pulumi/runtime/invoke.js `invokeAsync`). Promise forms (`getX(...)`) still reach the
 * mock, which answers them with an empty result.
 */
import type * as Pulumi from "@pulumi/pulumi";
import { answersOffline, type InvokeLog } from "./offline-invokes";

type InvokeFunction = (token: string, ...rest: unknown[]) => unknown;

/** Wraps `pulumi.runtime.invokeOutput` and `invokeSingleOutput` (provider SDKs look them up at each call). */
export function answerUnknowableInvokesAsUnknown(pulumi: typeof Pulumi, log: InvokeLog): void {
    const runtime = pulumi.runtime as unknown as Record<string, InvokeFunction>;
    for (const name of ["invokeOutput", "invokeSingleOutput"]) {
        const original = runtime[name];
        if (typeof original !== "function") {
            continue;
        }
        runtime[name] = (token, ...rest) => {
            if (answersOffline(token)) {
                return original(token, ...rest);
            }
            log.record(token, "unknown");
            return pulumi.output(pulumi.unknown);
        };
    }
}
