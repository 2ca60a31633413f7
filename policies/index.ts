/**
 * The policy pack's entry point: constructing a PolicyPack starts the Analyzer gRPC server and prints
 * its port, so this module does nothing else but first let the SDK's server read each request's
 * properties once for all policies (lib/read-properties-once.ts). The policies live in one module
 * each (see policy-list.ts).
 */
import { PolicyPack } from "@pulumi/policy";
import { readSdkPropertiesOnce } from "./lib/read-properties-once";
import { PACK_NAME, policies } from "./policy-list";

readSdkPropertiesOnce();

new PolicyPack(PACK_NAME, { policies });
