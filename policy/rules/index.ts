import { cdnRules } from "./cdn";
import { computeNetworkRules } from "./computeNetwork";
import { containerRules } from "./containers";
import { costRules } from "./cost";
import { dataMessagingRules } from "./dataMessaging";
import { encryptionRules } from "./encryption";
import { exposureRules } from "./exposure";
import { identityRules } from "./identity";
import { networkRules } from "./network";
import { Rule } from "./lib";
import { observabilityRules } from "./observability";
import { operationsRules } from "./operations";
import { resilienceRules } from "./resilience";
import { settingsRules } from "./settings";
import { transitRules } from "./transit";

export type { Rule } from "./lib";

/**
 * Every rule of the pack, in report order. This module only builds the list: importing it does not
 * start a policy-pack server (constructing `PolicyPack` in ../index.ts does), so the offline runner
 * and the tests use it directly.
 */
export const policies: Rule[] = [
  ...encryptionRules,
  ...transitRules,
  ...exposureRules,
  ...networkRules,
  ...computeNetworkRules,
  ...cdnRules,
  ...identityRules,
  ...containerRules,
  ...resilienceRules,
  ...operationsRules,
  ...observabilityRules,
  ...settingsRules,
  ...dataMessagingRules,
  ...costRules,
];
