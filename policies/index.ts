/**
 * The policy pack's entry point: constructing a PolicyPack starts the Analyzer gRPC server and prints
 * its port, so this module does nothing else. The policies live in one module each (see policy-list.ts).
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policy-list";

new PolicyPack(PACK_NAME, { policies });
