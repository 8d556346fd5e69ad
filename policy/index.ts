import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

// Constructing the pack starts its gRPC server for the Pulumi engine: keep this file to that alone.
new PolicyPack("platform", { policies, enforcementLevel: "mandatory", description: "Platform guardrails: encryption, exposure, identity, resilience, operations, observability" });
